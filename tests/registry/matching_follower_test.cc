// The registry follows matching's events into the newcomer grants: the
// volunteer of an accepted match sees the redacted newcomer until the
// match ends, also when events of one match arrive out of order.
#include "services/registry/matching_follower.h"

#include "brobygger/matching/v1/events.pb.h"
#include "common/events/event_bus.h"
#include "gtest/gtest.h"
#include "tests/registry/registry_fixture.h"

namespace brobygger::registry {
namespace {

namespace mv1 = ::brobygger::matching::v1;

constexpr char kNewcomer[] = "municipalities/aalborg/actors/1";
constexpr char kVolunteer[] = "municipalities/aalborg/actors/2";

class MatchingFollowerTest : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    MatchingFollowerOptions options;
    options.consumer = "test";
    follower_ = std::make_unique<MatchingFollower>(*pool_, registry_->grants(),
                                                   options);
  }

  static mv1::Match Match(const std::string& id,
                          const std::string& volunteer = kVolunteer) {
    mv1::Match match;
    match.set_name("municipalities/aalborg/matches/" + id);
    match.set_newcomer(kNewcomer);
    match.set_volunteer(volunteer);
    return match;
  }
  template <typename Payload>
  absl::Status Apply(const mv1::Match& match) {
    Payload payload;
    *payload.mutable_match() = match;
    return follower_->Handle(
        events::MakeEvent(events::EventContext{"matching", "test", ""},
                          "aalborg", match.name(), payload));
  }
  bool Granted(const std::string& volunteer = kVolunteer) {
    auto granted = registry_->grants().IsGranted("aalborg", "1", volunteer);
    EXPECT_TRUE(granted.ok()) << granted.status();
    return granted.ok() && *granted;
  }

  std::unique_ptr<MatchingFollower> follower_;
};

TEST_F(MatchingFollowerTest, AcceptGrantsAndEndRevokes) {
  ASSERT_TRUE(Apply<mv1::MatchProposed>(Match("5")).ok());
  EXPECT_FALSE(Granted()) << "a proposal alone discloses nothing";
  ASSERT_TRUE(Apply<mv1::MatchAccepted>(Match("5")).ok());
  EXPECT_TRUE(Granted());
  ASSERT_TRUE(Apply<mv1::MatchActivated>(Match("5")).ok());
  EXPECT_TRUE(Granted());
  ASSERT_TRUE(Apply<mv1::MatchEnded>(Match("5")).ok());
  EXPECT_FALSE(Granted());
}

TEST_F(MatchingFollowerTest, AnEndSeenBeforeItsAcceptIsNotUndone) {
  ASSERT_TRUE(Apply<mv1::MatchEnded>(Match("5")).ok());
  ASSERT_TRUE(Apply<mv1::MatchAccepted>(Match("5")).ok());
  EXPECT_FALSE(Granted());
}

TEST_F(MatchingFollowerTest, AnotherLiveMatchKeepsTheGrant) {
  // The same volunteer supports the newcomer as buddy and as mentor.
  ASSERT_TRUE(Apply<mv1::MatchAccepted>(Match("5")).ok());
  ASSERT_TRUE(Apply<mv1::MatchAccepted>(Match("6")).ok());
  ASSERT_TRUE(Apply<mv1::MatchEnded>(Match("5")).ok());
  EXPECT_TRUE(Granted());
  ASSERT_TRUE(Apply<mv1::MatchEnded>(Match("6")).ok());
  EXPECT_FALSE(Granted());
}

TEST_F(MatchingFollowerTest, GrantsAreGoneWithTheErasedNewcomer) {
  v1::Actor newcomer;
  newcomer.set_kind(v1::ACTOR_KIND_NEWCOMER);
  newcomer.mutable_newcomer()->set_first_name("Yonas");
  auto created =
      registry_->actors().Create(Caseworker(), "aalborg", newcomer, {});
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->name(), kNewcomer);
  ASSERT_TRUE(Apply<mv1::MatchAccepted>(Match("5")).ok());
  ASSERT_TRUE(registry_->actors().Delete(Caseworker(), kNewcomer, "").ok());
  for (const char* key : {"registry:{aalborg}:actor:grants:1",
                          "registry:{aalborg}:actor:grantmatches:1"}) {
    EXPECT_EQ(pool_->Run({"EXISTS", key})->integer, 0) << key;
  }
}

}  // namespace
}  // namespace brobygger::registry
