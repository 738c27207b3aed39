#include "common/status/grpc_status.h"

#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/status.pb.h"

namespace brobygger {
namespace {

// absl::StatusCode and grpc::StatusCode share the canonical numbering
// 0..16; anything outside it is not a canonical code and becomes UNKNOWN.
constexpr int kMaxCanonicalCode = 16;

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  int code = static_cast<int>(status.code());
  if (code < 1 || code > kMaxCanonicalCode) {
    code = static_cast<int>(grpc::StatusCode::UNKNOWN);
  }
  const auto grpc_code = static_cast<grpc::StatusCode>(code);
  std::string message(status.message());

  google::rpc::Status proto;
  status.ForEachPayload(
      [&proto](absl::string_view type_url, const absl::Cord& payload) {
        google::protobuf::Any* any = proto.add_details();
        any->set_type_url(std::string(type_url));
        any->set_value(std::string(payload));
      });
  if (proto.details_size() == 0) return grpc::Status(grpc_code, message);
  proto.set_code(code);
  proto.set_message(message);
  return grpc::Status(grpc_code, message, proto.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  int code = static_cast<int>(status.error_code());
  if (code < 1 || code > kMaxCanonicalCode) {
    code = static_cast<int>(absl::StatusCode::kUnknown);
  }
  absl::Status result(static_cast<absl::StatusCode>(code),
                      status.error_message());
  if (status.error_details().empty()) return result;
  google::rpc::Status proto;
  // Details that do not parse are dropped: the code and message still tell
  // the caller what happened.
  if (!proto.ParseFromString(status.error_details())) return result;
  for (const google::protobuf::Any& any : proto.details()) {
    result.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return result;
}

}  // namespace brobygger
