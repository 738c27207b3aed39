// What the catalogue knows of the registry, learnt from its events
// (architecture: a service never reads another's keys): the actors that
// may organise activities, and per newcomer only the areas and need tags
// the coordination report counts (no name, no other personal data).
//
// Each organiser is its own key, so an activity write can require it in
// the same Lua script (DocumentStore must_exist): an activity can never be
// written for an organiser whose deletion was already applied, and one
// written just before is ended by the follower that applies the deletion.
//
// Applying is idempotent and order-tolerant: a record carries the actor's
// update time and an older update never overwrites a newer one; a deleted
// actor leaves a tombstone (actor ids are never reused), so a late
// redelivered update cannot bring it back.
#ifndef BROBYGGER_SERVICES_CATALOGUE_REGISTRY_PROJECTION_H_
#define BROBYGGER_SERVICES_CATALOGUE_REGISTRY_PROJECTION_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "services/catalogue/catalogue_context.h"

namespace brobygger::catalogue {

struct Organiser {
  std::string actor;  // "municipalities/aalborg/actors/7"
  std::string display_name;
  int kind = 0;  // brobygger.registry.v1.ActorKind
};

// What following one registry event changed, for the follower to act on.
struct ProjectionChange {
  enum class Kind { kNone, kOrganiserUpserted, kOrganiserRemoved,
                    kNewcomerErased };
  Kind kind = Kind::kNone;
  std::string municipality;
  std::string actor;  // resource name
  std::string display_name;
};

class RegistryProjection {
 public:
  explicit RegistryProjection(CatalogueContext& ctx) : ctx_(ctx) {}

  // Applies one registry event (others are ignored with kNone).
  absl::StatusOr<ProjectionChange> Apply(const events::v1::Event& event);

  // The key that exists exactly while the organiser does (for must_exist).
  std::string OrganiserKey(absl::string_view municipality,
                           absl::string_view actor_id) const;

  absl::StatusOr<std::optional<Organiser>> FindOrganiser(
      absl::string_view municipality, absl::string_view actor_id);
  // Every known organiser of the municipality, by actor name.
  absl::StatusOr<std::map<std::string, Organiser>> Organisers(
      absl::string_view municipality);
  absl::StatusOr<bool> HasNewcomer(absl::string_view municipality,
                                   absl::string_view actor_id);
  // Folded area -> need tag -> number of newcomers. With `area_names`,
  // also folded area -> the area as the registry writes it.
  absl::StatusOr<std::map<std::string, std::map<std::string, int>>> NeedsByArea(
      absl::string_view municipality,
      std::map<std::string, std::string>* area_names = nullptr);
  // The time of the newest registry event applied, if any.
  absl::StatusOr<std::optional<absl::Time>> AsOf(
      absl::string_view municipality);

 private:
  absl::StatusOr<bool> Put(absl::string_view municipality,
                           absl::string_view key, absl::string_view set,
                           absl::string_view id, absl::Time updated,
                           absl::string_view value);
  absl::StatusOr<bool> Remove(absl::string_view municipality,
                              absl::string_view key, absl::string_view set,
                              absl::string_view id);
  absl::Status Touch(absl::string_view municipality, absl::Time event_time);

  CatalogueContext& ctx_;
};

// Whether actors of this kind may organise activities: organisations and
// municipal departments, not single persons (whose names would otherwise
// be published with every activity).
bool MayOrganise(int actor_kind);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_REGISTRY_PROJECTION_H_
