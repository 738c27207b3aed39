// The hand-encoded grpc.health.v1 messages that `broctl health` (and so
// deploy/local/up.sh) relies on, checked byte for byte against the
// protobuf wire format.
#include "tools/broctl/health_wire.h"

#include <string>

#include "gtest/gtest.h"

namespace brobygger::broctl {
namespace {

TEST(HealthWireTest, EncodesTheServiceName) {
  // Field 1, length-delimited (0x0a), length 8, "liveness".
  EXPECT_EQ(EncodeHealthCheckRequest("liveness"),
            std::string("\x0a\x08liveness", 10));
}

TEST(HealthWireTest, EmptyServiceIsAnEmptyMessage) {
  EXPECT_EQ(EncodeHealthCheckRequest(""), "");
}

TEST(HealthWireTest, EncodesLongNamesWithMultiByteLengths) {
  const std::string name(200, 's');
  const std::string bytes = EncodeHealthCheckRequest(name);
  ASSERT_EQ(bytes.size(), 3 + name.size());
  EXPECT_EQ(bytes.substr(0, 3), std::string("\x0a\xc8\x01", 3));
}

TEST(HealthWireTest, DecodesEachStatus) {
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x01", 2)),
            HealthStatus::kServing);
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x02", 2)),
            HealthStatus::kNotServing);
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x03", 2)),
            HealthStatus::kServiceUnknown);
  // proto3 leaves out the default: an empty message is UNKNOWN.
  EXPECT_EQ(*DecodeHealthCheckResponse(""), HealthStatus::kUnknown);
}

TEST(HealthWireTest, UnknownStatusValuesNeverReadAsServing) {
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x07", 2)),
            HealthStatus::kUnknown);
}

TEST(HealthWireTest, SkipsUnknownFields) {
  // Field 2 string "x", field 3 fixed32, then status SERVING.
  const std::string bytes("\x12\x01x\x1d\x01\x02\x03\x04\x08\x01", 10);
  EXPECT_EQ(*DecodeHealthCheckResponse(bytes), HealthStatus::kServing);
}

TEST(HealthWireTest, RejectsTruncatedMessages) {
  EXPECT_EQ(DecodeHealthCheckResponse(std::string("\x08", 1)).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(
      DecodeHealthCheckResponse(std::string("\x12\x05ab", 4)).status().code(),
      absl::StatusCode::kDataLoss);
  EXPECT_EQ(
      DecodeHealthCheckResponse(std::string("\x00\x01", 2)).status().code(),
      absl::StatusCode::kDataLoss);
}

TEST(HealthWireTest, NamesStatusesLikeGrpc) {
  EXPECT_EQ(HealthStatusName(HealthStatus::kServing), "SERVING");
  EXPECT_EQ(HealthStatusName(HealthStatus::kNotServing), "NOT_SERVING");
}

}  // namespace
}  // namespace brobygger::broctl
