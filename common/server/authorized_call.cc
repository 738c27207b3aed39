#include "common/server/authorized_call.h"

#include "common/status/grpc_status.h"

namespace brobygger::server {

grpc::Status AuthorizedCall(
    const auth::Authorizer& authorizer, const grpc::ServerContextBase& context,
    absl::string_view method,
    absl::FunctionRef<absl::Status(const auth::Principal&)> body) {
  auto principal = authorizer.Authorize(context, method);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  return ToGrpcStatus(body(*principal));
}

}  // namespace brobygger::server
