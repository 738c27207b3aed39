// The actor rules: who may create, see, change and delete which actors,
// duplicate detection, newcomer disclosure with its audit trail, and
// erasure.
#ifndef BROBYGGER_SERVICES_REGISTRY_ACTORS_H_
#define BROBYGGER_SERVICES_REGISTRY_ACTORS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/registry/audit_log.h"
#include "services/registry/municipalities.h"
#include "services/registry/newcomer_grants.h"
#include "services/registry/registry_context.h"

namespace brobygger::registry {

struct ActorPage {
  std::vector<v1::Actor> actors;
  std::string next_cursor;  // last id examined; empty at the end
};

struct CreateActorOptions {
  std::string request_id;
  bool allow_duplicate = false;
};

class Actors {
 public:
  Actors(RegistryContext context, Municipalities& municipalities,
         NewcomerGrants& grants, AuditLog& audit)
      : ctx_(context),
        municipalities_(municipalities),
        grants_(grants),
        audit_(audit) {}

  absl::StatusOr<v1::Actor> Create(const auth::Principal& principal,
                                   absl::string_view municipality,
                                   v1::Actor actor,
                                   const CreateActorOptions& options);
  absl::StatusOr<v1::Actor> Get(const auth::Principal& principal,
                                absl::string_view name);
  // `cursor` is the last id of the previous page ("" for the first).
  absl::StatusOr<ActorPage> List(const auth::Principal& principal,
                                 absl::string_view municipality, int page_size,
                                 absl::string_view cursor,
                                 absl::string_view filter);
  absl::StatusOr<v1::Actor> Update(const auth::Principal& principal,
                                   const v1::Actor& patch,
                                   const google::protobuf::FieldMask& mask);
  absl::Status Delete(const auth::Principal& principal, absl::string_view name,
                      absl::string_view etag);

  // Loads actors by id without access checks (for other domain classes);
  // missing ones are skipped.
  absl::StatusOr<std::vector<v1::Actor>> LoadMany(
      absl::string_view municipality, const std::vector<std::string>& ids);

 private:
  struct Loaded {
    v1::Actor actor;
    int64_t version = 0;
  };
  absl::StatusOr<Loaded> Load(absl::string_view municipality,
                              absl::string_view id, absl::string_view name);
  // Checks parent and caseworker: they exist, and have a fitting kind.
  absl::Status CheckReferences(absl::string_view municipality,
                               const v1::Actor& actor);
  // Object-level rules for NGO apps and volunteers.
  absl::Status CheckMayWrite(const auth::Principal& principal,
                             const v1::Actor& actor, bool creating) const;
  // The disclosure of `actor` to the caller, or PERMISSION_DENIED.
  absl::StatusOr<v1::DisclosureView> ViewOf(const auth::Principal& principal,
                                            absl::string_view municipality,
                                            absl::string_view id,
                                            const v1::Actor& actor);
  // Audits the newcomers among `actors`, then returns them as disclosed.
  absl::Status AuditReads(const auth::Principal& principal,
                          absl::string_view municipality,
                          absl::string_view method,
                          const std::vector<v1::Actor>& disclosed);

  // The resource name of the document that references actor `id` through
  // the references set `references_key`.
  std::string ReferrerName(absl::string_view municipality, absl::string_view id,
                           const std::string& references_key,
                           const std::string& referrer_id) const;

  RegistryContext ctx_;
  Municipalities& municipalities_;
  NewcomerGrants& grants_;
  AuditLog& audit_;
};

// "municipalities/{m}/actors/{id}".
std::string ActorName(absl::string_view municipality, absl::string_view id);

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_ACTORS_H_
