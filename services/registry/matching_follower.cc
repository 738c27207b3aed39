#include "services/registry/matching_follower.h"

#include "absl/strings/str_split.h"
#include "brobygger/matching/v1/events.pb.h"
#include "services/registry/registry_keys.h"

namespace brobygger::registry {
namespace {

namespace mv1 = ::brobygger::matching::v1;

events::TenantFollowerOptions TenantOptions(
    const MatchingFollowerOptions& options) {
  const RegistryKeys keys;
  events::TenantFollowerOptions out;
  out.group = "registry";
  out.consumer = options.consumer;
  out.source_service = "matching";
  // Every municipality the registry has.
  out.tenants_key = keys.MunicipalityIds();
  out.dead_letter_stream = keys.DeadLetters();
  out.block = options.block;
  out.tenant_refresh = options.tenant_refresh;
  return out;
}

// The last segment of a resource name.
std::string LastSegment(const std::string& name) {
  const size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

}  // namespace

MatchingFollower::MatchingFollower(redis::RedisPool& pool,
                                   NewcomerGrants& grants,
                                   const MatchingFollowerOptions& options)
    : grants_(grants),
      follower_(pool, RegistryKeys().space(), TenantOptions(options),
                [this](const events::v1::Event& event) {
                  return Handle(event);
                }) {}

absl::Status MatchingFollower::Handle(const events::v1::Event& event) {
  mv1::MatchAccepted accepted;
  mv1::MatchActivated activated;
  mv1::MatchEnded ended;
  const mv1::Match* match = nullptr;
  bool grants = false;
  if (event.payload().UnpackTo(&accepted)) {
    match = &accepted.match();
    grants = true;
  } else if (event.payload().UnpackTo(&activated)) {
    match = &activated.match();
    grants = true;
  } else if (event.payload().UnpackTo(&ended)) {
    match = &ended.match();
  }
  if (match == nullptr || match->newcomer().empty() ||
      match->volunteer().empty()) {
    return absl::OkStatus();
  }
  const std::string& m = event.municipality();
  const std::string newcomer_id = LastSegment(match->newcomer());
  const std::string match_id = LastSegment(match->name());
  return grants ? grants_.MatchAccepted(m, newcomer_id, match->volunteer(),
                                        match_id)
                : grants_.MatchEnded(m, newcomer_id, match->volunteer(),
                                     match_id);
}

}  // namespace brobygger::registry
