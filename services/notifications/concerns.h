// Concerns about newcomers: one refugee told four or five volunteers about
// one problem, and each called the same caseworker, who had solved it after
// the first call. A concern goes to the municipality's contact for its
// topic (the registry's contact point for the topic and the newcomer's
// town, else for the topic, else the coordinator); while it is open,
// raising the same one again (same newcomer, same topic) joins it, and the
// one who joins is told who is already handling it and since when. The
// contact closes it, and everyone who raised or joined it is told.
//
// Access (concern_access.h): caseworkers and coordinators of the
// municipality; a volunteer only about newcomers matching lets them see
// (the projection's grants), checked before anything about the newcomer
// is looked up, so a refusal does not reveal whether they exist. The
// contact handling a concern may read and resolve it.
//
// Storage: DocumentStore collection "concern" (numeric ids, newest first
// by id), indexed by newcomer; the open concern of a newcomer and topic
// owns a field of OpenConcernClaims, taken in the same Lua step as the
// create (two volunteers raising at the same moment end with one concern,
// the second joining it) and given up when it is resolved. Every change
// publishes its event in the same step (without description, resolution
// or notes) onto the newcomer's concern event trail, so erasing the
// newcomer takes the events back too.
//
// Telling people: see concern_notifier.h. Notify is called after the write
// succeeded; a failure is logged and leaves the write in place, and
// NoticeForEvent rebuilds the notice from the published event for whoever
// follows the service's own stream.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_CONCERNS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_CONCERNS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/notifications/v1/concern.pb.h"
#include "common/auth/principal.h"
#include "common/store/resource_io.h"
#include "services/notifications/concern_notifier.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/registry_projection.h"

namespace brobygger::notifications {

struct RaiseResult {
  // The concern raised, or the open one joined (with its etag).
  v1::Concern concern;
  // An open concern on the same newcomer and topic was joined.
  bool joined_existing = false;
  // For the reporter: who handles it (and since when, when joined).
  std::string message;
};

struct ConcernPage {
  std::vector<v1::Concern> concerns;  // newest first
  std::string next_page_token;
};

class Concerns {
 public:
  using Clock = std::function<absl::Time()>;

  Concerns(NotificationsContext& ctx, RegistryProjection& projection,
           ConcernNotifier& notifier, Clock clock = absl::Now);

  // Raises a concern about `concern.newcomer` on `concern.topic`, or joins
  // the open one. `request_id` (optional UUID) makes a retry return the
  // first result. PERMISSION_DENIED for those who may not see the newcomer;
  // INVALID_ARGUMENT naming the field; NOT_FOUND when the newcomer is not
  // (or no longer) known; FAILED_PRECONDITION when the municipality has
  // neither a contact for the topic nor a coordinator.
  absl::StatusOr<RaiseResult> Raise(const auth::Principal& principal,
                                    absl::string_view parent,
                                    v1::Concern concern,
                                    absl::string_view request_id);

  // NOT_FOUND for staff when missing; PERMISSION_DENIED for others who may
  // not see it (whether it exists or not).
  absl::StatusOr<v1::Concern> Get(const auth::Principal& principal,
                                  absl::string_view name);

  // Newest first. Staff see every concern of the municipality; a volunteer
  // those about the newcomers they are matched with now (and those they
  // handle as contact). Filter: AIP-160 conjunction of `state = OPEN|
  // RESOLVED`, `newcomer = "<actor>"`, `topic = housing`, `contact =
  // "<actor>"`; a volunteer filtering on a newcomer they may not see is
  // refused.
  absl::StatusOr<ConcernPage> List(const auth::Principal& principal,
                                   absl::string_view parent, int32_t page_size,
                                   absl::string_view page_token,
                                   absl::string_view filter);

  // Closes an open concern and tells every reporter. Staff, or the contact
  // handling it. `etag`, if set, must match. FAILED_PRECONDITION when it
  // was resolved already.
  absl::StatusOr<v1::Concern> Resolve(const auth::Principal& principal,
                                      absl::string_view name,
                                      absl::string_view resolution,
                                      absl::string_view etag);

  // Deletes every concern about the newcomer (open and resolved), their
  // claims and their events. Idempotent. Call it after the projection has
  // applied NewcomerErased: raising requires the newcomer's projection
  // record in the same atomic step, so no concern can be created after.
  absl::Status EraseNewcomer(absl::string_view municipality,
                             absl::string_view newcomer_id);

  // The notice a ConcernRaised, ConcernJoined or ConcernResolved event
  // stands for, rebuilt from the stored concern (for redelivery; see
  // concern_notifier.h). nullopt for other events, for concerns that no
  // longer exist (erased), and for raised/joined notices of a concern
  // resolved since.
  absl::StatusOr<std::optional<ConcernNotice>> NoticeForEvent(
      const events::v1::Event& event);

 private:
  using Stored = store::Versioned<v1::Concern>;
  struct Attempt;

  absl::StatusOr<Stored> Load(absl::string_view municipality,
                              absl::string_view id);
  absl::StatusOr<std::optional<std::string>> OpenConcernId(
      absl::string_view municipality, absl::string_view claim_field);
  absl::Status RequireNewcomerAccess(const auth::Principal& principal,
                                     absl::string_view municipality,
                                     absl::string_view newcomer_id);
  absl::StatusOr<bool> MayRead(const auth::Principal& principal,
                               absl::string_view municipality,
                               const v1::Concern& concern);
  absl::StatusOr<std::optional<RaiseResult>> Create(Attempt& attempt);
  absl::StatusOr<std::optional<RaiseResult>> Join(Attempt& attempt,
                                                  const std::string& id);
  absl::StatusOr<RaiseResult> Replay(const Attempt& attempt,
                                     const std::string& id);
  void Tell(ConcernNotice::Kind kind, const v1::Concern& concern,
            const events::v1::Event& event, absl::string_view joined_by);

  NotificationsContext& ctx_;
  RegistryProjection& projection_;
  ConcernNotifier& notifier_;
  Clock clock_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_CONCERNS_H_
