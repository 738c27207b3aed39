#include "common/status/errors.h"

#include <string>

#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace brobygger {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

MATCHER_P2(Violation, field, description, "") {
  return arg.field == field && arg.description == description;
}

template <typename Message>
Message PayloadOf(const absl::Status& status) {
  Message message;
  const auto payload = status.GetPayload("type.googleapis.com/" +
                                         Message::descriptor()->full_name());
  EXPECT_TRUE(payload.has_value()) << Message::descriptor()->full_name();
  if (payload.has_value()) {
    EXPECT_TRUE(message.ParseFromString(std::string(*payload)));
  }
  return message;
}

TEST(FieldViolationsTest, EmptyIsOk) {
  FieldViolations violations;
  EXPECT_TRUE(violations.empty());
  EXPECT_TRUE(violations.ToStatus().ok());
}

TEST(FieldViolationsTest, ListsEveryFieldInMessageAndDetails) {
  FieldViolations violations;
  violations.Add("actor.display_name", "must not be empty");
  violations.Add("page_size", "must be between 0 and 1000");
  const absl::Status status = violations.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "invalid request: actor.display_name: must not be empty; "
            "page_size: must be between 0 and 1000");
  EXPECT_THAT(
      FieldViolationsOf(status),
      ElementsAre(Violation("actor.display_name", "must not be empty"),
                  Violation("page_size", "must be between 0 and 1000")));
}

TEST(ErrorsTest, InvalidFieldErrorNamesTheField) {
  const absl::Status status = InvalidFieldError("parent", "is required");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("parent: is required"));
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Violation("parent", "is required")));
}

TEST(ErrorsTest, StatusWithoutBadRequestHasNoViolations) {
  EXPECT_TRUE(FieldViolationsOf(absl::NotFoundError("x")).empty());
  EXPECT_TRUE(FieldViolationsOf(absl::OkStatus()).empty());
}

TEST(ErrorsTest, ResourceNotFoundCarriesResourceInfo) {
  const absl::Status status = ResourceNotFoundError(
      "brobygger.registry.v1.Actor", "municipalities/aalborg/actors/12");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(
      std::string(status.message()),
      HasSubstr("Actor \"municipalities/aalborg/actors/12\" not found"));
  const auto info = PayloadOf<google::rpc::ResourceInfo>(status);
  EXPECT_EQ(info.resource_type(), "brobygger.registry.v1.Actor");
  EXPECT_EQ(info.resource_name(), "municipalities/aalborg/actors/12");
}

TEST(ErrorsTest, ResourceExistsKeepsTheCallersMessage) {
  const absl::Status status = ResourceExistsError(
      "brobygger.registry.v1.Municipality", "municipalities/aalborg",
      "municipality aalborg exists: update it instead");
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(status.message(), "municipality aalborg exists: update it instead");
  EXPECT_EQ(PayloadOf<google::rpc::ResourceInfo>(status).resource_name(),
            "municipalities/aalborg");
}

TEST(ErrorsTest, PreconditionCarriesTheViolation) {
  const absl::Status status =
      PreconditionError("CONSENT", "municipalities/aalborg/actors/3",
                        "the newcomer has not consented: record consent first");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  const auto failure = PayloadOf<google::rpc::PreconditionFailure>(status);
  ASSERT_EQ(failure.violations_size(), 1);
  EXPECT_EQ(failure.violations(0).type(), "CONSENT");
  EXPECT_EQ(failure.violations(0).subject(), "municipalities/aalborg/actors/3");
}

TEST(ErrorsTest, EtagMismatchIsAbortedWithReason) {
  const absl::Status status =
      EtagMismatchError("municipalities/aalborg/actors/12");
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(status.message()), HasSubstr("read it again"));
  const auto info = PayloadOf<google::rpc::ErrorInfo>(status);
  EXPECT_EQ(info.reason(), "ETAG_MISMATCH");
  EXPECT_EQ(info.domain(), "brobygger");
  EXPECT_EQ(info.metadata().at("resource_name"),
            "municipalities/aalborg/actors/12");
}

TEST(ErrorsTest, PermissionDeniedCarriesReason) {
  const absl::Status status =
      PermissionDeniedError("WRONG_MUNICIPALITY", "use a token for lejre");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(), "use a token for lejre");
  EXPECT_EQ(PayloadOf<google::rpc::ErrorInfo>(status).reason(),
            "WRONG_MUNICIPALITY");
}

TEST(ErrorsTest, WithReasonLeavesOkAlone) {
  EXPECT_TRUE(WithReason(absl::OkStatus(), "X").ok());
}

TEST(GrpcStatusTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(GrpcStatusTest, PlainErrorHasCodeAndMessageAndNoDetails) {
  const grpc::Status status =
      ToGrpcStatus(absl::UnavailableError("redis is down: retry"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "redis is down: retry");
  EXPECT_TRUE(status.error_details().empty());
}

TEST(GrpcStatusTest, ViolationsSurviveRoundTrip) {
  FieldViolations violations;
  violations.Add("actor.display_name", "must not be empty");
  violations.Add("page_size", "must be between 0 and 1000");
  const absl::Status original = violations.ToStatus();

  const grpc::Status wire = ToGrpcStatus(original);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wire.error_message(), original.message());

  // What any gRPC client sees in grpc-status-details-bin.
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  EXPECT_EQ(details.code(),
            static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(details.message(), original.message());
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_EQ(details.details(0).type_url(),
            "type.googleapis.com/google.rpc.BadRequest");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  EXPECT_EQ(bad_request.field_violations(1).field(), "page_size");

  const absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(back.message(), original.message());
  EXPECT_THAT(
      FieldViolationsOf(back),
      ElementsAre(Violation("actor.display_name", "must not be empty"),
                  Violation("page_size", "must be between 0 and 1000")));
}

TEST(GrpcStatusTest, SeveralDetailsSurviveRoundTrip) {
  const absl::Status original =
      WithReason(ResourceNotFoundError("brobygger.registry.v1.Forum",
                                       "municipalities/lejre/fora/4"),
                 "FORUM_GONE");
  const absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(back.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(PayloadOf<google::rpc::ResourceInfo>(back).resource_name(),
            "municipalities/lejre/fora/4");
  EXPECT_EQ(PayloadOf<google::rpc::ErrorInfo>(back).reason(), "FORUM_GONE");
}

TEST(GrpcStatusTest, UndecodableDetailsKeepCodeAndMessage) {
  const absl::Status back = FromGrpcStatus(grpc::Status(
      grpc::StatusCode::INTERNAL, "boom", std::string("\xff\xff\xff", 3)));
  EXPECT_EQ(back.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(back.message(), "boom");
}

}  // namespace
}  // namespace brobygger
