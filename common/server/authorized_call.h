// The shape of every Brobygger RPC handler: authorise the caller for the
// method, run the domain code, and translate its absl::Status into a
// grpc::Status at this one edge.
//
//   grpc::Status GetActor(grpc::ServerContext* context,
//                         const GetActorRequest* request, Actor* response) {
//     return AuthorizedCall(*authorizer_, context, "GetActor",
//                           [&](const auth::Principal& principal) {
//       ASSIGN_OR_RETURN(*response, actors_.Get(principal, request->name()));
//       return absl::OkStatus();
//     });
//   }
#ifndef BROBYGGER_COMMON_SERVER_AUTHORIZED_CALL_H_
#define BROBYGGER_COMMON_SERVER_AUTHORIZED_CALL_H_

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/auth/authorizer.h"
#include "common/auth/principal.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace brobygger::server {

grpc::Status AuthorizedCall(
    const auth::Authorizer& authorizer, const grpc::ServerContextBase& context,
    absl::string_view method,
    absl::FunctionRef<absl::Status(const auth::Principal&)> body);

}  // namespace brobygger::server

#endif  // BROBYGGER_COMMON_SERVER_AUTHORIZED_CALL_H_
