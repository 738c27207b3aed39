// The NGO-app examples (examples/python, examples/node) against the real
// services: a client written the way an NGO's developers would, in
// another language, lists its volunteers' proposals, accepts one and sees
// it become active once the municipality confirms. This proves the public
// contract with clients that are not C++.
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/e2e/matching_e2e_fixture.h"
#include "tests/support/run_program.h"

namespace brobygger::test {
namespace {

class NgoAppExamplesTest : public MatchingE2eTest {
 protected:
  // A proposal for a volunteer of a fresh organisation; returns the
  // organisation's app token and the match name.
  void SetUpProposal(std::string* app_token, std::string* match_name) {
    const rv1::Actor organisation = MustCreateActor(
        Organisation(rv1::ACTOR_KIND_NGO_BRANCH, "Røde Kors", {"Vamdrup"}));
    MustCreateCorpsVolunteer("Senait", organisation.name());
    const rv1::Actor newcomer = MustCreateNewcomer("Yonas");
    const mv1::VolunteerRequest request = MustCreateRequest(newcomer.name());
    mv1::ProposeMatchRequest propose;
    propose.set_volunteer_request(request.name());
    absl::StatusOr<mv1::Match> proposed;
    ASSERT_TRUE(Within(kFollowDeadline, [&] {
      proposed =
          Call(*stub_, &MatchingStub::ProposeMatch, coordinator_, propose);
      return proposed.ok();
    })) << proposed.status();
    *app_token = MintTestToken(auth::Role::kNgoApp, {municipality_},
                               "red-cross-app", organisation.name());
    *match_name = proposed->name();
  }

  // Runs `command` (the example) while this test plays the municipality:
  // once the example has accepted the match, a caseworker activates it.
  void RunExampleAgainstProposal(std::vector<std::string> command) {
    std::string token;
    std::string match;
    ASSERT_NO_FATAL_FAILURE(SetUpProposal(&token, &match));
    std::vector<std::string> argv = {"/usr/bin/env",
                                     absl::StrCat("BROBYGGER_TOKEN=", token)};
    argv.insert(argv.end(), command.begin(), command.end());
    for (const std::string& arg :
         {std::string("--addr"), matching_->address(),
          std::string("--municipality"), municipality_,
          std::string("--wait-seconds"), std::string("30")}) {
      argv.push_back(arg);
    }
    auto example = std::async(std::launch::async, [argv] {
      return RunProgram(argv, absl::Seconds(90));
    });
    mv1::GetMatchRequest get;
    get.set_name(match);
    const bool accepted = Within(absl::Seconds(60), [&] {
      auto got = Call(*stub_, &MatchingStub::GetMatch, coordinator_, get);
      return got.ok() && got->state() == mv1::Match::STATE_ACCEPTED;
    });
    if (!accepted) {
      absl::StatusOr<ProgramResult> result = example.get();
      FAIL() << "the example never accepted " << match << ": "
             << (result.ok() ? result->output : result.status().ToString());
    }
    mv1::ActivateMatchRequest activate;
    activate.set_name(match);
    ASSERT_TRUE(
        Call(*stub_, &MatchingStub::ActivateMatch, caseworker_, activate).ok());

    absl::StatusOr<ProgramResult> result = example.get();
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->exit_code, 0) << result->output;
    EXPECT_TRUE(absl::StrContains(result->output, "\"step\": \"proposal\"") ||
                absl::StrContains(result->output, "\"step\":\"proposal\""))
        << result->output;
    EXPECT_TRUE(absl::StrContains(result->output, "Tigrinya"))
        << "the proposal's reasons are shown: " << result->output;
    EXPECT_TRUE(absl::StrContains(result->output, match)) << result->output;
    EXPECT_TRUE(absl::StrContains(result->output, "STATE_ACTIVE"))
        << result->output;
  }

  static std::string Example(const std::string& path) {
    return absl::StrCat(BROBYGGER_SOURCE_DIR, "/examples/", path);
  }
};

TEST_F(NgoAppExamplesTest, PythonAppAcceptsAndSeesTheMatchBecomeActive) {
  RunExampleAgainstProposal({"/usr/bin/python3", Example("python/ngo_app.py")});
}

TEST_F(NgoAppExamplesTest, NodeAppAcceptsAndSeesTheMatchBecomeActive) {
  ASSERT_TRUE(
      std::filesystem::exists(Example("node/node_modules/@grpc/grpc-js")))
      << "the Node example's packages are missing: run deploy/setup.sh";
  RunExampleAgainstProposal({"node", Example("node/ngo_app.js")});
}

}  // namespace
}  // namespace brobygger::test
