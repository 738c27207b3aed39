// The structures of cooperation between municipality and civil society:
// coordination fora, network groups and working groups, with their terms
// of reference, members and the balance of their representation.
#ifndef BROBYGGER_SERVICES_REGISTRY_FORUMS_H_
#define BROBYGGER_SERVICES_REGISTRY_FORUMS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/registry/v1/forum.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/registry/actors.h"
#include "services/registry/forum_representation.h"
#include "services/registry/municipalities.h"
#include "services/registry/registry_context.h"

namespace brobygger::registry {

// Limits (also documented in forum.proto).
inline constexpr int kMaxForumMembers = 200;
inline constexpr int kMaxPurpose = 2000;
inline constexpr int kMaxTasks = 50;
inline constexpr int kMaxTaskLength = 500;
inline constexpr int kMaxTermsText = 1000;
inline constexpr int kMaxMemberRole = 100;

struct ForumPage {
  std::vector<v1::Forum> forums;
  std::string next_cursor;  // last id examined; empty at the end
};

class Forums {
 public:
  Forums(RegistryContext context, Municipalities& municipalities,
         Actors& actors)
      : ctx_(context), municipalities_(municipalities), actors_(actors) {}

  // Caseworkers and coordinators. The forum starts ACTIVE.
  absl::StatusOr<v1::Forum> Create(const auth::Principal& principal,
                                   absl::string_view municipality,
                                   v1::Forum forum,
                                   const std::string& request_id);
  // Everyone in the municipality.
  absl::StatusOr<v1::Forum> Get(const auth::Principal& principal,
                                absl::string_view name);
  // Oldest first. Filter fields: kind (e.g. WORKING_GROUP), state (ACTIVE,
  // DISSOLVED), member (an actor name among the members). `cursor` is the
  // last id of the previous page ("" for the first).
  absl::StatusOr<ForumPage> List(const auth::Principal& principal,
                                 absl::string_view municipality, int page_size,
                                 absl::string_view cursor,
                                 absl::string_view filter);
  // Caseworkers and coordinators; not for dissolved fora.
  absl::StatusOr<v1::Forum> Update(const auth::Principal& principal,
                                   const v1::Forum& patch,
                                   const google::protobuf::FieldMask& mask);
  absl::Status Delete(const auth::Principal& principal, absl::string_view name,
                      absl::string_view etag);
  // Ends an active working group whose task is done; it stays as a record.
  absl::StatusOr<v1::Forum> Dissolve(const auth::Principal& principal,
                                     absl::string_view name,
                                     absl::string_view etag);

 private:
  struct Loaded {
    v1::Forum forum;
    int64_t version = 0;
  };
  absl::StatusOr<Loaded> Load(absl::string_view municipality,
                              absl::string_view id, absl::string_view name);
  // Checks that coordinator and members exist and may take part, and sets
  // each member's sector from its actor's kind.
  absl::Status ResolveMembers(absl::string_view municipality, v1::Forum* forum);

  RegistryContext ctx_;
  Municipalities& municipalities_;
  Actors& actors_;
};

// "municipalities/{m}/forums/{id}".
std::string ForumName(absl::string_view municipality, absl::string_view id);

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_FORUMS_H_
