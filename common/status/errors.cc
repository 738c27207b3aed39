#include "common/status/errors.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/message.h"
#include "google/rpc/error_details.pb.h"

namespace brobygger {
namespace {

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";
constexpr absl::string_view kErrorDomain = "brobygger";

std::string TypeUrlOf(const google::protobuf::Message& message) {
  return absl::StrCat(kTypeUrlPrefix, message.GetDescriptor()->full_name());
}

// Payloads are keyed by the detail's type URL so that ToGrpcStatus can copy
// them into google.protobuf.Any without knowing the message types.
void Attach(absl::Status& status, const google::protobuf::Message& detail) {
  status.SetPayload(TypeUrlOf(detail), absl::Cord(detail.SerializeAsString()));
}

// The short name of a resource type: "brobygger.registry.v1.Actor" ->
// "Actor". Messages read better with it; the full type is in ResourceInfo.
absl::string_view ShortTypeName(absl::string_view resource_type) {
  const size_t dot = resource_type.rfind('.');
  return dot == absl::string_view::npos ? resource_type
                                        : resource_type.substr(dot + 1);
}

google::rpc::ErrorInfo MakeErrorInfo(absl::string_view reason) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  return info;
}

}  // namespace

void FieldViolations::Add(std::string field, std::string description) {
  violations_.push_back({std::move(field), std::move(description)});
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  for (const FieldViolation& v : violations_) {
    auto* out = bad_request.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
  }
  const std::string message = absl::StrCat(
      "invalid request: ",
      absl::StrJoin(violations_, "; ",
                    [](std::string* out, const FieldViolation& v) {
                      absl::StrAppend(out, v.field, ": ", v.description);
                    }));
  absl::Status status = absl::InvalidArgumentError(message);
  Attach(status, bad_request);
  return status;
}

absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description) {
  FieldViolations violations;
  violations.Add(std::string(field), std::string(description));
  return violations.ToStatus();
}

absl::Status ResourceNotFoundError(absl::string_view resource_type,
                                   absl::string_view resource_name) {
  const absl::string_view type = ShortTypeName(resource_type);
  absl::Status status = absl::NotFoundError(absl::StrCat(
      type, " \"", resource_name, "\" not found: check the name, or list the ",
      type, " collection to find the right one"));
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(resource_name));
  info.set_description("not found");
  Attach(status, info);
  return status;
}

absl::Status ResourceExistsError(absl::string_view resource_type,
                                 absl::string_view resource_name,
                                 absl::string_view message) {
  absl::Status status = absl::AlreadyExistsError(message);
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(resource_name));
  info.set_description(std::string(message));
  Attach(status, info);
  return status;
}

absl::Status PreconditionError(absl::string_view type,
                               absl::string_view subject,
                               absl::string_view message) {
  absl::Status status = absl::FailedPreconditionError(message);
  google::rpc::PreconditionFailure failure;
  auto* violation = failure.add_violations();
  violation->set_type(std::string(type));
  violation->set_subject(std::string(subject));
  violation->set_description(std::string(message));
  Attach(status, failure);
  return status;
}

absl::Status EtagMismatchError(absl::string_view resource_name) {
  absl::Status status = absl::AbortedError(absl::StrCat(
      "etag mismatch for \"", resource_name,
      "\": it changed since you read it; read it again, reapply your change "
      "and retry with the new etag"));
  google::rpc::ErrorInfo info = MakeErrorInfo("ETAG_MISMATCH");
  (*info.mutable_metadata())["resource_name"] = std::string(resource_name);
  Attach(status, info);
  return status;
}

absl::Status PermissionDeniedError(absl::string_view reason,
                                   absl::string_view message) {
  return WithReason(absl::PermissionDeniedError(message), reason);
}

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  // SetPayload is a no-op on OK, which is what we want: OK has no reason.
  Attach(status, MakeErrorInfo(reason));
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> result;
  const auto payload = status.GetPayload(TypeUrlOf(google::rpc::BadRequest()));
  if (!payload.has_value()) return result;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return result;
  for (const auto& v : bad_request.field_violations()) {
    result.push_back({v.field(), v.description()});
  }
  return result;
}

absl::Status PrefixFieldViolations(const absl::Status& status,
                                   absl::string_view prefix) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (violations.empty()) return status;
  FieldViolations prefixed;
  for (FieldViolation& violation : violations) {
    prefixed.Add(absl::StrCat(prefix, ".", violation.field),
                 std::move(violation.description));
  }
  return prefixed.ToStatus();
}

}  // namespace brobygger
