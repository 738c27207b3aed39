// Every Redis key of Brobygger is built here.
//
// Shape: "<service>:{<municipality>}:<part>:<part>...". The municipality is
// the hash tag, so all keys of one tenant of one service land in the same
// Redis Cluster slot and one Lua script may touch them together. Keys that
// belong to no municipality use the reserved tag "{_global}".
#ifndef BROBYGGER_COMMON_REDIS_KEYS_H_
#define BROBYGGER_COMMON_REDIS_KEYS_H_

#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"

namespace brobygger::redis {

inline constexpr absl::string_view kGlobalTenant = "_global";

class KeySpace {
 public:
  // `service` is a short lowercase name, e.g. "registry".
  explicit KeySpace(std::string service) : service_(std::move(service)) {}

  // Key("aalborg", {"actor", "12"}) == "registry:{aalborg}:actor:12".
  // The municipality must already be validated (no braces, no colons).
  std::string Key(absl::string_view municipality,
                  std::initializer_list<absl::string_view> parts) const;

  // Key(kGlobalTenant, parts).
  std::string GlobalKey(std::initializer_list<absl::string_view> parts) const;

  // The event stream of this service for one municipality:
  // "<service>:{<municipality>}:events".
  std::string EventStream(absl::string_view municipality) const;

  const std::string& service() const { return service_; }

 private:
  std::string service_;
};

}  // namespace brobygger::redis

#endif  // BROBYGGER_COMMON_REDIS_KEYS_H_
