#include "services/registry/matching_follower.h"

#include "brobygger/matching/v1/events.pb.h"
#include "common/store/resource_io.h"
#include "services/registry/registry_keys.h"

namespace brobygger::registry {
namespace {

namespace mv1 = ::brobygger::matching::v1;

}  // namespace

MatchingFollower::MatchingFollower(redis::RedisPool& pool,
                                   NewcomerGrants& grants,
                                   const MatchingFollowerOptions& options)
    : grants_(grants),
      follower_(
          pool, RegistryKeys().space(),
          // Every municipality the registry has.
          events::FollowOptions(options, "registry", "matching",
                                RegistryKeys().MunicipalityIds(),
                                RegistryKeys().DeadLetters()),
          [this](const events::v1::Event& event) { return Handle(event); }) {}

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
  const std::string newcomer_id = store::IdOf(match->newcomer());
  const std::string match_id = store::IdOf(match->name());
  return grants
             ? grants_.MatchAccepted(m, newcomer_id, match->volunteer(),
                                     match_id)
             : grants_.MatchEnded(m, newcomer_id, match->volunteer(), match_id);
}

}  // namespace brobygger::registry
