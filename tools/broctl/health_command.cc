// broctl health: asks a service's grpc.health.v1 Health service whether it
// serves. Used by deploy/local/up.sh to wait for readiness.
//
// The request and response are encoded by hand (two fields) rather than
// generated from health.proto: broctl then needs no copy of gRPC's protos
// and works against any gRPC server.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/health_wire.h"

namespace brobygger::broctl {
namespace {

constexpr char kCheckMethod[] = "/grpc.health.v1.Health/Check";

absl::Status Health(const Invocation& inv) {
  const std::string service = inv.args.GetOr("service", "");
  const std::string request = EncodeHealthCheckRequest(service);
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;

  grpc::GenericStub stub(inv.Channel());
  std::unique_ptr<grpc::ClientContext> context = inv.NewContext();
  absl::Notification done;
  grpc::Status call_status;
  stub.UnaryCall(context.get(), kCheckMethod, grpc::StubOptions(),
                 &request_buffer, &response_buffer, [&](grpc::Status status) {
                   call_status = std::move(status);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!call_status.ok()) return CallStatus(call_status, inv);

  std::vector<grpc::Slice> slices;
  if (!response_buffer.Dump(&slices).ok()) {
    return absl::DataLossError("cannot read the health response");
  }
  std::string response;
  for (const grpc::Slice& s : slices) {
    response.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  const absl::StatusOr<HealthStatus> status =
      DecodeHealthCheckResponse(response);
  if (!status.ok()) return status.status();

  std::cout << "{\n  \"service\": \"" << service << "\",\n  \"status\": \""
            << HealthStatusName(*status) << "\"\n}\n";
  if (*status != HealthStatus::kServing) {
    return absl::UnavailableError(absl::StrCat(
        inv.address, " answers but is ", HealthStatusName(*status),
        service.empty() ? "" : absl::StrCat(" for \"", service, "\""),
        " (a service is NOT_SERVING until it reaches Redis)"));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> HealthCommands() {
  return {
      {.name = "health",
       .synopsis = "[--addr HOST:PORT] [--service NAME]",
       .summary = "Checks grpc.health.v1: the overall readiness (default), "
                  "\"liveness\", or a service's full name. Exits 0 only "
                  "when SERVING.",
       .options = {"service"},
       .run = Health},
  };
}

}  // namespace brobygger::broctl
