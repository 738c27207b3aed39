#include "common/redis/keys.h"

#include <cstddef>

namespace brobygger::redis {

std::string KeySpace::Key(
    absl::string_view municipality,
    std::initializer_list<absl::string_view> parts) const {
  size_t size = service_.size() + municipality.size() + 3;
  for (absl::string_view part : parts) size += part.size() + 1;
  std::string key;
  key.reserve(size);
  key.append(service_).append(":{");
  key.append(municipality.data(), municipality.size()).append("}");
  for (absl::string_view part : parts) {
    key.append(":").append(part.data(), part.size());
  }
  return key;
}

std::string KeySpace::GlobalKey(
    std::initializer_list<absl::string_view> parts) const {
  return Key(kGlobalTenant, parts);
}

std::string KeySpace::EventStream(absl::string_view municipality) const {
  return Key(municipality, {"events"});
}

}  // namespace brobygger::redis
