// Contact points: "whom do I contact in this municipality about topic X in
// area Y" -- the way into the municipality for volunteers and associations
// -- and the resolution of such a question to a contact, falling back to the
// municipality's coordinator.
#ifndef BROBYGGER_SERVICES_REGISTRY_CONTACT_POINTS_H_
#define BROBYGGER_SERVICES_REGISTRY_CONTACT_POINTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/registry/v1/contact_point.pb.h"
#include "brobygger/registry/v1/registry_service.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/registry/actors.h"
#include "services/registry/municipalities.h"
#include "services/registry/registry_context.h"

namespace brobygger::registry {

inline constexpr int kMaxTopicLength = 64;
inline constexpr int kMaxContactPointNote = 1000;
// A topic is a handful of entries (one per area at most); more is a
// mistake, and Resolve reads them all.
inline constexpr int kMaxContactPointsPerTopic = 200;

struct ContactPointPage {
  std::vector<v1::ContactPoint> contact_points;
  std::string next_cursor;  // last id examined; empty at the end
};

class ContactPoints {
 public:
  ContactPoints(RegistryContext context, Municipalities& municipalities,
                Actors& actors)
      : ctx_(context), municipalities_(municipalities), actors_(actors) {}

  // Caseworkers and coordinators of the municipality.
  absl::StatusOr<v1::ContactPoint> Create(const auth::Principal& principal,
                                          absl::string_view municipality,
                                          v1::ContactPoint contact_point,
                                          const std::string& request_id);
  // Everyone in the municipality.
  absl::StatusOr<v1::ContactPoint> Get(const auth::Principal& principal,
                                       absl::string_view name);
  // Oldest first. Filter fields: topic (the tag), area (the contact point
  // lists this area, compared ignoring case and accents), contact (an actor
  // name). `cursor` is the last id of the previous page ("" for the first).
  absl::StatusOr<ContactPointPage> List(const auth::Principal& principal,
                                        absl::string_view municipality,
                                        int page_size, absl::string_view cursor,
                                        absl::string_view filter);
  // Caseworkers and coordinators. `patch.name` says which; `patch.etag`,
  // when set, must be current.
  absl::StatusOr<v1::ContactPoint> Update(
      const auth::Principal& principal, const v1::ContactPoint& patch,
      const google::protobuf::FieldMask& mask);
  absl::Status Delete(const auth::Principal& principal, absl::string_view name,
                      absl::string_view etag);

  // The contact point of `topic` that lists `area`, else the one of `topic`
  // for the whole municipality, else the municipality's coordinator. The
  // lowest id wins among equals. FAILED_PRECONDITION when there is neither
  // a contact point nor a coordinator.
  absl::StatusOr<v1::ResolveContactResponse> Resolve(
      const auth::Principal& principal, absl::string_view municipality,
      absl::string_view topic, absl::string_view area);

 private:
  struct Loaded {
    v1::ContactPoint contact_point;
    int64_t version = 0;
  };
  absl::StatusOr<Loaded> Load(absl::string_view municipality,
                              absl::string_view id, absl::string_view name);
  // The contact actor exists and may be contacted about a topic; returns
  // it. Violations name `field`.
  absl::StatusOr<v1::Actor> CheckContact(absl::string_view municipality,
                                         const std::string& contact,
                                         const std::string& field);
  // Every contact point of `topic`, oldest first.
  absl::StatusOr<std::vector<v1::ContactPoint>> OfTopic(
      absl::string_view municipality, const std::string& topic);

  RegistryContext ctx_;
  Municipalities& municipalities_;
  Actors& actors_;
};

// "municipalities/{m}/contactPoints/{id}".
std::string ContactPointName(absl::string_view municipality,
                             absl::string_view id);

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_CONTACT_POINTS_H_
