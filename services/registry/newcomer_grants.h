// Which volunteers may see which newcomer (redacted): granted when a match
// becomes active and revoked when it ends. Matching owns matches; the
// registry keeps this projection of them.
#ifndef BROBYGGER_SERVICES_REGISTRY_NEWCOMER_GRANTS_H_
#define BROBYGGER_SERVICES_REGISTRY_NEWCOMER_GRANTS_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/redis/redis_pool.h"
#include "services/registry/registry_keys.h"

namespace brobygger::registry {

class NewcomerGrants {
 public:
  explicit NewcomerGrants(redis::RedisPool& pool) : pool_(pool) {}

  absl::Status Grant(absl::string_view municipality,
                     absl::string_view newcomer_id,
                     absl::string_view volunteer);
  absl::Status Revoke(absl::string_view municipality,
                      absl::string_view newcomer_id,
                      absl::string_view volunteer);
  // The ids among `newcomer_ids` that `volunteer` may see; one round trip.
  absl::StatusOr<std::set<std::string>> GrantedAmong(
      absl::string_view municipality,
      const std::vector<std::string>& newcomer_ids,
      absl::string_view volunteer);
  absl::StatusOr<bool> IsGranted(absl::string_view municipality,
                                 absl::string_view newcomer_id,
                                 absl::string_view volunteer);

 private:
  redis::RedisPool& pool_;
  RegistryKeys keys_;
};

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_NEWCOMER_GRANTS_H_
