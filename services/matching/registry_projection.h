// What matching knows of the registry, learnt from its events
// (architecture: a service never reads another's keys): the volunteers,
// who are the candidates, and the newcomers, whose consent, languages,
// towns, needs and household the requests and scoring use.
//
// Data minimisation: a newcomer's record keeps only what matching uses
// (no name, contact details, caseworker or arrival date), and it is
// deleted when the registry erases the newcomer.
//
// Applying is idempotent and order-tolerant: a record carries the actor's
// update time and an older update never overwrites a newer one; a deleted
// actor leaves a tombstone (actor ids are never reused), so a late
// redelivered update cannot bring it back. Every change of a volunteer
// record is appended, in the same script, to the candidate-change stream
// the in-memory indexes catch up from.
#ifndef BROBYGGER_SERVICES_MATCHING_REGISTRY_PROJECTION_H_
#define BROBYGGER_SERVICES_MATCHING_REGISTRY_PROJECTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "services/matching/matching_context.h"

namespace brobygger::matching {

// What applying one registry event changed, for the follower to act on.
struct ProjectionChange {
  enum class Kind {
    kNone,
    kVolunteerUpserted,
    kVolunteerRemoved,
    kNewcomerUpserted,
    kNewcomerErased,
  };
  Kind kind = Kind::kNone;
  std::string municipality;
  std::string actor;  // resource name
  // For kNewcomerUpserted: whether the newcomer (still) consents to
  // volunteer contact.
  bool consents = false;
};

// Volunteers in bulk, for the candidate index.
struct VolunteerRecord {
  std::string id;
  registry::v1::Actor actor;
};

class RegistryProjection {
 public:
  explicit RegistryProjection(MatchingContext& ctx) : ctx_(ctx) {}

  // Applies one registry event (others are ignored with kNone).
  absl::StatusOr<ProjectionChange> Apply(const events::v1::Event& event);

  // Applies the registry's current actors (volunteers and newcomers, read
  // at `read_time`) as if each had just been created; older than what the
  // projection holds, or deleted meanwhile, they change nothing. Returns
  // how many records were written.
  absl::StatusOr<int> ApplySnapshot(
      absl::string_view municipality,
      const std::vector<registry::v1::Actor>& actors, absl::Time read_time);

  absl::StatusOr<std::optional<registry::v1::Actor>> FindVolunteer(
      absl::string_view municipality, absl::string_view actor_id);
  absl::StatusOr<std::optional<registry::v1::Actor>> FindNewcomer(
      absl::string_view municipality, absl::string_view actor_id);
  // The volunteers with these ids that exist (one round trip).
  absl::StatusOr<std::vector<VolunteerRecord>> Volunteers(
      absl::string_view municipality, const std::vector<std::string>& ids);
  // The ids of every volunteer in the projection.
  absl::StatusOr<std::vector<std::string>> VolunteerIds(
      absl::string_view municipality);
  // The time of the newest registry event applied, if any.
  absl::StatusOr<std::optional<absl::Time>> AsOf(
      absl::string_view municipality);

  // The fields of an actor that matching keeps (exposed for tests).
  static registry::v1::Actor Minimised(const registry::v1::Actor& actor);

 private:
  absl::StatusOr<bool> Put(absl::string_view municipality,
                           const std::string& key, const std::string& set,
                           absl::string_view id, absl::Time updated,
                           const registry::v1::Actor& actor, bool is_volunteer,
                           absl::Time event_time);
  absl::Status Remove(absl::string_view municipality, const std::string& key,
                      absl::string_view id, bool is_volunteer,
                      absl::Time event_time);
  absl::StatusOr<std::optional<registry::v1::Actor>> Find(
      const std::string& key);

  MatchingContext& ctx_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_REGISTRY_PROJECTION_H_
