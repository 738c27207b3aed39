// Authorisation of every RPC.
//
// Each service declares a MethodPolicy for every method of its gRPC service
// (the roles that may call it). The Authorizer refuses to be built when a
// method of the service descriptor has no policy, so an RPC cannot be added
// without saying who may call it; and every handler starts with
// Authorize(), which authenticates the bearer token and checks the role.
// Municipality scope is checked with RequireMunicipality() once the handler
// knows which municipality the request touches.
#ifndef BROBYGGER_COMMON_AUTH_AUTHORIZER_H_
#define BROBYGGER_COMMON_AUTH_AUTHORIZER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/server_context.h"

namespace brobygger::auth {

struct MethodPolicy {
  std::string method;       // short name, e.g. "GetActor"
  std::vector<Role> roles;  // who may call it
};

class Authorizer {
 public:
  // Fails (INTERNAL, naming the methods) if `service` has a method without
  // a policy or a policy names a method the service does not have.
  static absl::StatusOr<std::unique_ptr<Authorizer>> Create(
      const google::protobuf::ServiceDescriptor* service,
      std::vector<MethodPolicy> policies,
      std::shared_ptr<JwtVerifier> verifier);

  // Reads "authorization: Bearer <jwt>" from the call's metadata.
  // UNAUTHENTICATED without a valid token; PERMISSION_DENIED when the role
  // may not call `method`.
  absl::StatusOr<Principal> Authorize(const grpc::ServerContextBase& context,
                                      absl::string_view method) const;

  // The same check on a raw "authorization" header value (for non-gRPC
  // endpoints and tests).
  absl::StatusOr<Principal> AuthorizeHeader(absl::string_view header,
                                            absl::string_view method) const;

 private:
  Authorizer(std::map<std::string, std::vector<Role>, std::less<>> policies,
             std::shared_ptr<JwtVerifier> verifier);
  std::map<std::string, std::vector<Role>, std::less<>> policies_;
  std::shared_ptr<JwtVerifier> verifier_;
};

// PERMISSION_DENIED (reason WRONG_MUNICIPALITY) unless the principal may act
// in `municipality`.
absl::Status RequireMunicipality(const Principal& principal,
                                 absl::string_view municipality);

}  // namespace brobygger::auth

#endif  // BROBYGGER_COMMON_AUTH_AUTHORIZER_H_
