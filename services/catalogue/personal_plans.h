// Personal plans: the municipality's timeline template applied to one
// newcomer's arrival date and stored as a snapshot, so later template
// changes do not move a plan a newcomer already follows. Plans are personal
// data: only caseworkers and coordinators use them, and every read is
// written to the audit log.
#ifndef BROBYGGER_SERVICES_CATALOGUE_PERSONAL_PLANS_H_
#define BROBYGGER_SERVICES_CATALOGUE_PERSONAL_PLANS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/catalogue/v1/timeline.pb.h"
#include "common/auth/principal.h"
#include "common/events/event_bus.h"
#include "common/store/document_store.h"
#include "services/catalogue/catalogue_context.h"
#include "services/catalogue/timeline_templates.h"

namespace brobygger::catalogue {

// A newcomer may be re-planned (a moved arrival date), but a handful of
// plans is all anyone follows; the bound also bounds EraseNewcomer.
inline constexpr int kMaxPlansPerNewcomer = 20;

struct PersonalPlanPage {
  std::vector<v1::PersonalPlan> plans;
  std::string next_page_token;  // Empty on the last page.
};

class PersonalPlans {
 public:
  // Whether the registry knows newcomer `newcomer_id` (the actor id, e.g.
  // "12") of `municipality`, e.g. RegistryProjection::HasNewcomer.
  using NewcomerCheck = std::function<absl::StatusOr<bool>(
      absl::string_view municipality, absl::string_view newcomer_id)>;

  PersonalPlans(CatalogueContext& ctx, TimelineTemplates& templates,
                NewcomerCheck newcomer_known)
      : ctx_(ctx),
        templates_(templates),
        newcomer_known_(std::move(newcomer_known)) {}

  // `plan.newcomer` ("municipalities/{municipality}/actors/{actor}", known
  // to the registry) and `plan.arrival_date` ("YYYY-MM-DD", years
  // 1970-2399) are required; the output-only fields are ignored. The items
  // are the stored template applied to the arrival date (FAILED_PRECONDITION
  // while the template has no items). A repeated `request_id` returns the
  // plan the first request created. Publishes PersonalPlanCreated.
  absl::StatusOr<v1::PersonalPlan> Create(const auth::Principal& principal,
                                          absl::string_view municipality,
                                          v1::PersonalPlan plan,
                                          absl::string_view request_id);

  // `id` is the last segment of the plan's name. Audited.
  absl::StatusOr<v1::PersonalPlan> Get(const auth::Principal& principal,
                                       absl::string_view municipality,
                                       absl::string_view id);

  // Oldest first; `newcomer` (a newcomer's resource name, or empty)
  // restricts the list to that newcomer's plans. page_size 0 means 50, at
  // most 1000. A page token is valid only with the same municipality and
  // newcomer. Every returned plan is audited.
  absl::StatusOr<PersonalPlanPage> List(const auth::Principal& principal,
                                        absl::string_view municipality,
                                        int page_size,
                                        absl::string_view page_token,
                                        absl::string_view newcomer);

  // Publishes PersonalPlanDeleted.
  absl::Status Delete(const auth::Principal& principal,
                      absl::string_view municipality, absl::string_view id);

  // The plan as an iCalendar stream: one event per item covering its week
  // (local midnight to midnight, Europe/Copenhagen). Audited.
  absl::StatusOr<std::string> ExportCalendar(const auth::Principal& principal,
                                             absl::string_view municipality,
                                             absl::string_view id);

  // Deletes every plan of newcomer `newcomer_id` (the actor id), each with
  // a PersonalPlanDeleted event, and takes the PersonalPlanCreated events
  // naming the newcomer back from the stream. For the registry follower
  // when the registry erases a newcomer; idempotent.
  absl::Status EraseNewcomer(absl::string_view municipality,
                             absl::string_view newcomer_id);

 private:
  struct Loaded {
    v1::PersonalPlan plan;  // With etag.
    int64_t version = 0;
  };
  absl::StatusOr<Loaded> Load(absl::string_view municipality,
                              absl::string_view id);
  // Deletes the plan read as `loaded`; with `erase_trail`, also the
  // events listed in the newcomer's event trail.
  absl::StatusOr<store::WriteResult> DeletePlan(
      absl::string_view municipality, absl::string_view id,
      const Loaded& loaded, const events::EventContext& cause,
      bool erase_trail);
  // List of the stream ids of the PersonalPlanCreated events of a newcomer
  // (see CatalogueKeys for the other keys).
  std::string EventTrail(absl::string_view municipality,
                         absl::string_view newcomer_id) const;

  CatalogueContext& ctx_;
  TimelineTemplates& templates_;
  NewcomerCheck newcomer_known_;
};

// "municipalities/{municipality}/personalPlans/{id}".
std::string PersonalPlanName(absl::string_view municipality,
                             absl::string_view id);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_PERSONAL_PLANS_H_
