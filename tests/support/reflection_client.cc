#include "tests/support/reflection_client.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"
#include "tests/support/generic_call.h"

namespace brobygger::test {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

// grpc.reflection.v1alpha (/usr/share/grpc-proto/grpc/reflection/v1alpha/):
//   ServerReflectionRequest  { string list_services = 7; ... }
//   ServerReflectionResponse { ListServiceResponse list_services_response = 6;
//                              ErrorResponse error_response = 7; ... }
//   ListServiceResponse      { repeated ServiceResponse service = 1; }
//   ServiceResponse          { string name = 1; }
//   ErrorResponse            { int32 error_code = 1; string error_message = 2;
//   }
constexpr int kListServicesField = 7;
constexpr int kListServicesResponseField = 6;
constexpr int kErrorResponseField = 7;

absl::Status Malformed() {
  return absl::DataLossError("malformed ServerReflectionResponse");
}

// Calls `on_field(number, bytes)` for every length-delimited field of a
// message; other fields are skipped.
template <typename OnField>
absl::Status ForEachBytesField(const std::string& message, OnField on_field) {
  CodedInputStream in(reinterpret_cast<const uint8_t*>(message.data()),
                      static_cast<int>(message.size()));
  while (uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagWireType(tag) ==
        WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      std::string bytes;
      if (!WireFormatLite::ReadBytes(&in, &bytes)) return Malformed();
      absl::Status status =
          on_field(WireFormatLite::GetTagFieldNumber(tag), bytes);
      if (!status.ok()) return status;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return Malformed();
    }
  }
  return in.ConsumedEntireMessage() ? absl::OkStatus() : Malformed();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ListServices(
    const std::shared_ptr<grpc::Channel>& channel) {
  std::string request;
  {
    google::protobuf::io::StringOutputStream stream(&request);
    google::protobuf::io::CodedOutputStream out(&stream);
    WireFormatLite::WriteString(kListServicesField, "*", &out);
  }
  absl::StatusOr<std::vector<std::string>> responses = GenericStreamingCall(
      channel, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      {request});
  if (!responses.ok()) return responses.status();
  if (responses->size() != 1) {
    return absl::DataLossError(absl::StrCat(
        "expected one reflection response, got ", responses->size()));
  }

  std::vector<std::string> names;
  absl::Status status = ForEachBytesField(
      responses->front(), [&](int field, const std::string& bytes) {
        if (field == kErrorResponseField) {
          return absl::UnknownError(absl::StrCat("reflection error response (",
                                                 bytes.size(), " bytes)"));
        }
        if (field != kListServicesResponseField) return absl::OkStatus();
        return ForEachBytesField(bytes, [&](int f, const std::string& service) {
          if (f != 1) return absl::OkStatus();
          return ForEachBytesField(service,
                                   [&](int g, const std::string& name) {
                                     if (g == 1) names.push_back(name);
                                     return absl::OkStatus();
                                   });
        });
      });
  if (!status.ok()) return status;
  return names;
}

}  // namespace brobygger::test
