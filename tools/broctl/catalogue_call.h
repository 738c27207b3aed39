// One unary call to the catalogue service, for the catalogue commands,
// and where the files it returns go:
//
//   ASSIGN_OR_RETURN(v1::Activity activity,
//                    CallCatalogue(inv, &CatalogueStub::GetActivity, request));
#ifndef BROBYGGER_TOOLS_BROCTL_CATALOGUE_CALL_H_
#define BROBYGGER_TOOLS_BROCTL_CATALOGUE_CALL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "tools/broctl/cli.h"

namespace brobygger::broctl {

using CatalogueStub = catalogue::v1::CatalogueService::Stub;

// Calls `method` on the catalogue (CallService, for the catalogue's
// commands).
template <typename Request, typename Response>
absl::StatusOr<Response> CallCatalogue(
    const Invocation& inv,
    grpc::Status (CatalogueStub::*method)(grpc::ClientContext*, const Request&,
                                          Response*),
    const Request& request) {
  return CallService(inv, method, request);
}

template <typename Request, typename Response>
absl::Status CallCatalogueAndPrint(
    const Invocation& inv,
    grpc::Status (CatalogueStub::*method)(grpc::ClientContext*, const Request&,
                                          Response*),
    const Request& request, bool with_defaults = false) {
  return CallServiceAndPrint(inv, method, request, with_defaults);
}

// Writes an iCalendar file to `out` (stdout when empty or "-"). Written to
// a file, a JSON summary ({"file", "eventCount"}) goes to stdout.
absl::Status WriteCalendarFile(const std::string& out,
                               const catalogue::v1::CalendarFile& calendar);

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_CATALOGUE_CALL_H_
