#include "tools/broctl/health_wire.h"

#include <cstdint>

#include "absl/status/status.h"

namespace brobygger::broctl {
namespace {

constexpr int kWireVarint = 0;
constexpr int kWireFixed64 = 1;
constexpr int kWireLengthDelimited = 2;
constexpr int kWireFixed32 = 5;
constexpr int kStatusField = 1;
constexpr int kServiceField = 1;

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

bool ReadVarint(absl::string_view* in, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

absl::Status Malformed() {
  return absl::DataLossError(
      "the health response is not a grpc.health.v1.HealthCheckResponse");
}

}  // namespace

absl::string_view HealthStatusName(HealthStatus status) {
  switch (status) {
    case HealthStatus::kServing:
      return "SERVING";
    case HealthStatus::kNotServing:
      return "NOT_SERVING";
    case HealthStatus::kServiceUnknown:
      return "SERVICE_UNKNOWN";
    case HealthStatus::kUnknown:
      break;
  }
  return "UNKNOWN";
}

std::string EncodeHealthCheckRequest(absl::string_view service) {
  std::string out;
  if (service.empty()) return out;  // proto3: empty strings are not sent
  AppendVarint((kServiceField << 3) | kWireLengthDelimited, &out);
  AppendVarint(service.size(), &out);
  out.append(service.data(), service.size());
  return out;
}

absl::StatusOr<HealthStatus> DecodeHealthCheckResponse(
    absl::string_view bytes) {
  HealthStatus status = HealthStatus::kUnknown;
  while (!bytes.empty()) {
    uint64_t key = 0;
    if (!ReadVarint(&bytes, &key)) return Malformed();
    const uint64_t field = key >> 3;
    const int wire_type = static_cast<int>(key & 7);
    if (field == 0) return Malformed();
    uint64_t value = 0;
    switch (wire_type) {
      case kWireVarint:
        if (!ReadVarint(&bytes, &value)) return Malformed();
        if (field == kStatusField) {
          // Values this client does not know read as UNKNOWN: never as
          // SERVING.
          status = value <= 3 ? static_cast<HealthStatus>(value)
                              : HealthStatus::kUnknown;
        }
        break;
      case kWireFixed64:
        if (bytes.size() < 8) return Malformed();
        bytes.remove_prefix(8);
        break;
      case kWireLengthDelimited:
        if (!ReadVarint(&bytes, &value) || value > bytes.size()) {
          return Malformed();
        }
        bytes.remove_prefix(value);
        break;
      case kWireFixed32:
        if (bytes.size() < 4) return Malformed();
        bytes.remove_prefix(4);
        break;
      default:
        return Malformed();
    }
  }
  return status;
}

}  // namespace brobygger::broctl
