// Activities: the catalogue's main resource, on the document store.
//
// Every write goes through one Lua script (DocumentStore) with its
// indexes (all activities; per organiser and co-organiser), the claim of
// its external id, the requirement that its organisers still exist in the
// registry projection, and its event — so nothing is half-written.
#ifndef BROBYGGER_SERVICES_CATALOGUE_ACTIVITIES_H_
#define BROBYGGER_SERVICES_CATALOGUE_ACTIVITIES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "common/auth/principal.h"
#include "common/store/resource_io.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/catalogue/catalogue_context.h"
#include "services/catalogue/registry_projection.h"

namespace brobygger::catalogue {

struct ActivityPage {
  std::vector<v1::Activity> activities;
  std::string next_page_token;
};

struct ActivitiesOptions {
  // How long a create waits for an organiser the projection does not know
  // yet (it may have been created in the registry a moment ago).
  absl::Duration organiser_wait = absl::Seconds(2);
};

// What an import did to one activity.
enum class ImportOutcome { kCreated, kUpdated, kUnchanged };
struct ImportResult {
  ImportOutcome outcome = ImportOutcome::kUnchanged;
  std::string name;  // empty for a validated-only create
};

class Activities {
 public:
  Activities(CatalogueContext& ctx, RegistryProjection& registry,
             ActivitiesOptions options = {});

  absl::StatusOr<v1::Activity> Create(const auth::Principal& principal,
                                      absl::string_view municipality,
                                      v1::Activity activity,
                                      absl::string_view request_id);
  // NOT_FOUND also for drafts the principal may not see.
  absl::StatusOr<v1::Activity> Get(const auth::Principal& principal,
                                   absl::string_view municipality,
                                   absl::string_view id);
  absl::StatusOr<ActivityPage> List(const auth::Principal& principal,
                                    absl::string_view municipality,
                                    int32_t page_size,
                                    absl::string_view page_token,
                                    absl::string_view filter);
  absl::StatusOr<v1::Activity> Update(const auth::Principal& principal,
                                      absl::string_view municipality,
                                      const v1::Activity& patch,
                                      const google::protobuf::FieldMask& mask);
  absl::Status Delete(const auth::Principal& principal,
                      absl::string_view municipality, absl::string_view id,
                      absl::string_view etag);
  absl::StatusOr<v1::Activity> CancelOccurrence(
      const auth::Principal& principal, absl::string_view municipality,
      absl::string_view id, absl::string_view local_start,
      absl::string_view reason, absl::string_view etag);

  // Creates or updates the activity that carries `activity.external_id()`
  // (required), keeping the state of an existing one. Same rules and
  // events as Create/Update. `validate_only` checks and writes nothing.
  // `exported_id`: the id of this municipality's activity the service was
  // exported from (its HSDS id names it), which it then updates.
  absl::StatusOr<ImportResult> Import(const auth::Principal& principal,
                                       absl::string_view municipality,
                                       v1::Activity activity,
                                       bool validate_only,
                                       absl::string_view exported_id = "");

  // Following the registry (no principal: the catalogue itself acts).
  // The organiser left the registry: its activities end (and it is
  // dropped where it only co-organised).
  absl::Status OrganiserRemoved(absl::string_view municipality,
                                absl::string_view actor);
  // The organiser was renamed: organiser_display_name follows.
  absl::Status OrganiserRenamed(absl::string_view municipality,
                                absl::string_view actor,
                                absl::string_view display_name);

  // Every stored activity (any state) with ids in `ids`, in that order;
  // missing ones skipped. For the search index.
  absl::StatusOr<std::vector<v1::Activity>> LoadMany(
      absl::string_view municipality, const std::vector<std::string>& ids);
  // Ids of every activity of the municipality, ascending.
  absl::StatusOr<std::vector<std::string>> AllIds(
      absl::string_view municipality);

 private:
  absl::StatusOr<store::Versioned<v1::Activity>> Load(
      absl::string_view municipality, absl::string_view id);
  // Organiser display names, or INVALID_ARGUMENT naming the unknown one.
  absl::Status ResolveOrganisers(absl::string_view municipality,
                                 v1::Activity* activity);
  // The write turning `before` (nullopt: create) into `after` (nullopt:
  // delete), with its index, claim and existence deltas; `event` set by
  // the caller.
  store::WriteSpec ChangeSpec(absl::string_view municipality,
                              absl::string_view id, int64_t version,
                              const v1::Activity* before,
                              const v1::Activity* after);
  // Write `after` over version `loaded` with the event that describes the
  // change; kConflict is returned to the caller for a retry.
  absl::StatusOr<store::WriteResult> WriteChange(
      const events::EventContext& cause, absl::string_view municipality,
      const store::Versioned<v1::Activity>& loaded, const v1::Activity& after,
      absl::string_view reason);
  // A versioned read-modify-write for the registry follower.
  template <typename Change>
  absl::Status RewriteForRegistry(absl::string_view municipality,
                                  absl::string_view id, const Change& change);
  // RewriteForRegistry of every activity `actor` organises or
  // co-organises.
  template <typename Change>
  absl::Status RewriteActivitiesOf(absl::string_view municipality,
                                   absl::string_view actor,
                                   const Change& change);

  CatalogueContext& ctx_;
  RegistryProjection& registry_;
  ActivitiesOptions options_;
};

// "municipalities/{m}/activities/{id}".
std::string ActivityName(absl::string_view municipality, absl::string_view id);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_ACTIVITIES_H_
