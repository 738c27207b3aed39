// What the notification service knows of the registry and of matching,
// learnt from their events (architecture: a service never reads another's
// keys): actors with the indexes audiences are built from (kind, area,
// organisation), contact points, fora, the municipality's coordinator, and
// which volunteer may see which newcomer (matching's accepted and active
// matches).
//
// Data minimisation: an actor's record keeps only what routing needs. A
// newcomer's keeps the redacted view (first name, languages, town, needs)
// and the consent flags, nothing else, and is deleted when the registry
// erases the newcomer.
//
// Applying is idempotent and order-tolerant: a record carries its update
// time and an older update never overwrites a newer one; a deleted actor
// leaves a tombstone (ids are never reused), so a late redelivered update
// cannot bring it back; an ended match's grant stays ended when its
// acceptance is redelivered later.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_REGISTRY_PROJECTION_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_REGISTRY_PROJECTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/contact_point.pb.h"
#include "brobygger/registry/v1/forum.pb.h"
#include "services/notifications/notifications_context.h"

namespace brobygger::notifications {

// What applying one event changed, for the router to act on.
struct ProjectionChange {
  enum class Kind {
    kNone,
    kActorUpserted,
    kActorRemoved,
    // A newcomer who consents to volunteer contact and to data sharing is
    // now recorded in a town: created so, moved, or newly consenting.
    kNewcomerPlaced,
    kNewcomerErased,
    kGrantAdded,
    kGrantRemoved,
  };
  Kind kind = Kind::kNone;
  std::string municipality;
  // The actor (resource name) the change is about; for grants the newcomer.
  std::string actor;
  // For grants: the volunteer (resource name).
  std::string volunteer;
};

// Who answers concerns on a topic.
struct ResolvedContact {
  // The contact point's name; empty when the coordinator is the fallback.
  std::string contact_point;
  // The actor who takes it.
  std::string contact;
  std::string contact_display_name;
};

class RegistryProjection {
 public:
  explicit RegistryProjection(NotificationsContext& ctx) : ctx_(ctx) {}

  // Applies one registry or matching event; others change nothing.
  absl::StatusOr<ProjectionChange> Apply(const events::v1::Event& event);

  // The trimmed record (see above), if the actor exists.
  absl::StatusOr<std::optional<registry::v1::Actor>> FindActor(
      absl::string_view municipality, absl::string_view actor_id);
  // The actors with these ids that exist, in the order given (one round
  // trip).
  absl::StatusOr<std::vector<registry::v1::Actor>> FindActors(
      absl::string_view municipality, const std::vector<std::string>& ids);

  // Whether matching lets the volunteer (actor name) see the newcomer.
  absl::StatusOr<bool> IsGranted(absl::string_view municipality,
                                 absl::string_view newcomer_id,
                                 absl::string_view volunteer);
  // The volunteers (actor names) who may see the newcomer.
  absl::StatusOr<std::vector<std::string>> Granted(
      absl::string_view municipality, absl::string_view newcomer_id);

  // Actor ids, sorted numerically.
  absl::StatusOr<std::vector<std::string>> ActorIdsOfKind(
      absl::string_view municipality, registry::v1::ActorKind kind);
  // Volunteers active in the area (compared folded), plus those active in
  // the whole municipality; every volunteer for an empty area.
  absl::StatusOr<std::vector<std::string>> VolunteerIdsInArea(
      absl::string_view municipality, absl::string_view area);
  // The actors whose parent is the organisation.
  absl::StatusOr<std::vector<std::string>> MemberIds(
      absl::string_view municipality, absl::string_view organisation_id);

  absl::StatusOr<std::optional<registry::v1::Forum>> FindForum(
      absl::string_view municipality, absl::string_view forum_id);

  // As the registry's ResolveContact: the contact point for the topic and
  // the area, else for the topic in the whole municipality (ids ascending
  // within each), else the municipality's coordinator; a contact that is
  // not a known actor is passed over. FAILED_PRECONDITION (type
  // NO_CONTACT) when there is none.
  absl::StatusOr<ResolvedContact> ResolveContact(absl::string_view municipality,
                                                 absl::string_view topic,
                                                 absl::string_view area);

  // The time of the newest event applied (InfinitePast when none), for
  // answers that should say how stale they may be.
  absl::StatusOr<absl::Time> AsOf(absl::string_view municipality);

  // The record kept of an actor.
  static registry::v1::Actor Minimised(const registry::v1::Actor& actor);

 private:
  absl::StatusOr<ProjectionChange> PutActor(const events::v1::Event& event,
                                            const registry::v1::Actor& actor);
  absl::StatusOr<ProjectionChange> RemoveActor(const events::v1::Event& event,
                                               absl::string_view name,
                                               bool erased);
  absl::Status PutRecord(absl::string_view municipality, const std::string& key,
                         const std::string& set, absl::string_view id,
                         absl::Time updated, const std::string& data,
                         absl::Time event_time);
  absl::Status RemoveRecord(absl::string_view municipality,
                            const std::string& key, absl::string_view id,
                            absl::Time event_time);
  absl::StatusOr<ProjectionChange> ApplyGrant(const events::v1::Event& event,
                                              absl::string_view match,
                                              absl::string_view newcomer,
                                              absl::string_view volunteer,
                                              bool granted);

  NotificationsContext& ctx_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_REGISTRY_PROJECTION_H_
