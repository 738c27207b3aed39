#include "tests/support/health_client.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "tests/support/generic_call.h"

namespace brobygger::test {
namespace {

using google::protobuf::internal::WireFormatLite;

// grpc.health.v1 (see /usr/share/grpc-proto/grpc/health/v1/health.proto):
//   message HealthCheckRequest { string service = 1; }
//   message HealthCheckResponse { ServingStatus status = 1; }
//   enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2;
//                        SERVICE_UNKNOWN = 3; }
constexpr int kServiceField = 1;
constexpr int kStatusField = 1;
constexpr uint32_t kServing = 1;

std::string EncodeRequest(const std::string& service_name) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    if (!service_name.empty()) {  // proto3 omits default values
      WireFormatLite::WriteString(kServiceField, service_name, &out);
    }
  }
  return bytes;
}

absl::StatusOr<uint32_t> DecodeStatus(const std::string& bytes) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  uint32_t status = 0;  // absent = UNKNOWN
  while (uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == kStatusField &&
        WireFormatLite::GetTagWireType(tag) ==
            WireFormatLite::WIRETYPE_VARINT) {
      if (!in.ReadVarint32(&status)) break;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return absl::DataLossError("malformed HealthCheckResponse");
    }
  }
  if (!in.ConsumedEntireMessage()) {
    return absl::DataLossError("malformed HealthCheckResponse");
  }
  return status;
}

}  // namespace

absl::StatusOr<bool> IsServing(const std::shared_ptr<grpc::Channel>& channel,
                               const std::string& service_name) {
  absl::StatusOr<std::string> response = GenericUnaryCall(
      channel, "/grpc.health.v1.Health/Check", EncodeRequest(service_name));
  if (!response.ok()) {
    return absl::Status(
        response.status().code(),
        absl::StrCat("health check of \"", service_name,
                     "\" failed: ", response.status().message()));
  }
  absl::StatusOr<uint32_t> status = DecodeStatus(*response);
  if (!status.ok()) return status.status();
  return *status == kServing;
}

}  // namespace brobygger::test
