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

  // From matching's events. An accepted (or active) match grants its
  // volunteer the view; an ended one takes it back unless another match of
  // the same volunteer with the newcomer still grants it. Order-tolerant:
  // an end applied before its accept is remembered, so the late accept
  // grants nothing.
  absl::Status MatchAccepted(absl::string_view municipality,
                             absl::string_view newcomer_id,
                             absl::string_view volunteer,
                             absl::string_view match_id);
  absl::Status MatchEnded(absl::string_view municipality,
                          absl::string_view newcomer_id,
                          absl::string_view volunteer,
                          absl::string_view match_id);

  // Direct changes (tests and operators' repairs).
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
