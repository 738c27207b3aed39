// Concerns about newcomers on a real Redis, with the projection fed by the
// registry's and matching's events and a notifier that records what it is
// asked to tell.

#include "services/notifications/concerns.h"

#include <atomic>
#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "brobygger/notifications/v1/events.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/notification_names.h"
#include "tests/notifications/registry_feed.h"
#include "tests/support/test_principals.h"

namespace brobygger::notifications {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// Records every notice; fails on demand.
class RecordingNotifier : public ConcernNotifier {
 public:
  absl::Status Notify(const ConcernNotice& notice) override {
    absl::MutexLock lock(&mu_);
    if (!failure_.ok()) return failure_;
    notices_.push_back(notice);
    return absl::OkStatus();
  }
  std::vector<ConcernNotice> notices() {
    absl::MutexLock lock(&mu_);
    return notices_;
  }
  void Clear() {
    absl::MutexLock lock(&mu_);
    notices_.clear();
  }
  void FailWith(absl::Status status) {
    absl::MutexLock lock(&mu_);
    failure_ = std::move(status);
  }

 private:
  absl::Mutex mu_;
  std::vector<ConcernNotice> notices_ ABSL_GUARDED_BY(mu_);
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
};

constexpr char kHousingProblem[] =
    "The landlord has not repaired the heating; the flat is cold at night";

class ConcernsTest : public RegistryFeedTest {
 protected:
  void SetUp() override {
    concerns_.reset();
    ASSERT_NO_FATAL_FAILURE(RegistryFeedTest::SetUp());
    now_ = AtDanishTime(2026, 3, 3, 10);
    concerns_ = std::make_unique<Concerns>(context(), projection(), notifier_,
                                           [this] { return now_; });
    // The municipality: a coordinator, a housing contact for Vodskov, one
    // for housing elsewhere, an NGO that takes leisure questions.
    CreateActor(EmployeeActor("1", "Karen Coordinator"));
    CreateActor(
        EmployeeActor("2", "Mette Hansen (Housing, Aalborg Municipality)"));
    CreateActor(EmployeeActor("3", "Lars Nielsen"));
    rv1::Actor ngo = EmployeeActor("9", "Dansk Flygtningehjælp Aalborg");
    ngo.set_kind(rv1::ACTOR_KIND_NGO_BRANCH);
    CreateActor(ngo);
    CreateMunicipality("1");
    CreateContactPoint("20", "housing", {"Vodskov"}, "2");
    CreateContactPoint("21", "housing", {}, "3");
    CreateContactPoint("22", "leisure", {}, "9");
    // Amina (12) in Vodskov, matched with volunteers 4, 5 and 6; another
    // newcomer (13) in Nørresundby matched with volunteer 8. Volunteer 7
    // is matched with nobody.
    CreateActor(NewcomerActor("12", {"Vodskov"}));
    CreateActor(NewcomerActor("13", {"Nørresundby"}));
    for (const char* id : {"4", "5", "6", "7", "8"}) {
      CreateActor(
          VolunteerActor(id, {"Vodskov"}, absl::StrCat("Volunteer ", id)));
    }
    AcceptMatch("30", "12", "4");
    AcceptMatch("31", "12", "5");
    AcceptMatch("32", "12", "6");
    AcceptMatch("33", "13", "8");
  }
  void TearDown() override {
    concerns_.reset();
    RegistryFeedTest::TearDown();
  }

  static absl::Time AtDanishTime(int year, int month, int day, int hour) {
    absl::TimeZone denmark;
    EXPECT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &denmark));
    return absl::FromCivil(absl::CivilHour(year, month, day, hour), denmark);
  }

  Concerns& concerns() { return *concerns_; }

  static std::string Parent() {
    return absl::StrCat("municipalities/", kMunicipality);
  }
  static auth::Principal Volunteer(const std::string& id) {
    return test::MakePrincipal(Actor(id), auth::Role::kVolunteer,
                               kMunicipality);
  }
  static auth::Principal Caseworker() {
    return test::MakePrincipal("caseworker-1", auth::Role::kCaseworker,
                               kMunicipality);
  }
  static auth::Principal Coordinator() {
    return test::MakePrincipal("coordinator-1", auth::Role::kCoordinator,
                               kMunicipality);
  }
  // Mette, the housing contact, with her caseworker token.
  static auth::Principal Mette() {
    return test::MakePrincipal(Actor("2"), auth::Role::kCaseworker,
                               kMunicipality);
  }
  // The NGO that takes leisure concerns, signing in as a person.
  static auth::Principal NgoContact() {
    return test::MakePrincipal(Actor("9"), auth::Role::kVolunteer,
                               kMunicipality);
  }
  static auth::Principal NgoApp() {
    return test::MakePrincipal("red-cross-app", auth::Role::kNgoApp,
                               kMunicipality, Actor("9"));
  }
  static auth::Principal Operator() {
    return test::MakePrincipal("ops-1", auth::Role::kOperator, "*");
  }

  static v1::Concern Asked(const std::string& newcomer_id,
                           const std::string& topic,
                           const std::string& description = kHousingProblem) {
    v1::Concern concern;
    concern.set_newcomer(Actor(newcomer_id));
    concern.set_topic(topic);
    concern.set_description(description);
    return concern;
  }
  absl::StatusOr<RaiseResult> TryRaise(const auth::Principal& principal,
                                       const v1::Concern& concern,
                                       const std::string& request_id = "") {
    return concerns().Raise(principal, Parent(), concern, request_id);
  }
  RaiseResult Raise(const auth::Principal& principal,
                    const v1::Concern& concern,
                    const std::string& request_id = "") {
    absl::StatusOr<RaiseResult> result =
        TryRaise(principal, concern, request_id);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : RaiseResult();
  }
  v1::Concern Resolve(const auth::Principal& principal, const std::string& name,
                      const std::string& resolution =
                          "The heating was "
                          "repaired on Monday") {
    auto resolved = concerns().Resolve(principal, name, resolution, "");
    EXPECT_TRUE(resolved.ok()) << resolved.status();
    return resolved.ok() ? *resolved : v1::Concern();
  }
  std::vector<std::string> ListNames(const auth::Principal& principal,
                                     const std::string& filter = "") {
    std::vector<std::string> names;
    std::string token;
    do {
      auto page = concerns().List(principal, Parent(), 0, token, filter);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const v1::Concern& concern : page->concerns) {
        names.push_back(concern.name());
      }
      token = page->next_page_token;
    } while (!token.empty());
    return names;
  }

  // The notification service's stream: raw entries and parsed events.
  std::vector<std::string> RawStreamEntries() {
    std::vector<std::string> out;
    auto reply =
        pool().Run({"XRANGE", context().keys.space().EventStream(kMunicipality),
                    "-", "+"});
    EXPECT_TRUE(reply.ok());
    for (const redis::Reply& entry : reply->elements) {
      std::string all;
      for (const redis::Reply& field : entry.elements[1].elements) {
        absl::StrAppend(&all, field.str, "\n");
      }
      out.push_back(all);
    }
    return out;
  }
  std::vector<events::v1::Event> StreamEvents() {
    std::vector<events::v1::Event> out;
    auto reply =
        pool().Run({"XRANGE", context().keys.space().EventStream(kMunicipality),
                    "-", "+"});
    EXPECT_TRUE(reply.ok());
    for (const redis::Reply& entry : reply->elements) {
      const auto& fields = entry.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str != "event") continue;
        events::v1::Event event;
        EXPECT_TRUE(event.ParseFromString(fields[i + 1].str));
        out.push_back(std::move(event));
      }
    }
    return out;
  }
  std::vector<std::string> StreamTypes() {
    std::vector<std::string> types;
    for (const events::v1::Event& event : StreamEvents()) {
      types.push_back(event.type());
    }
    return types;
  }

  absl::Time now_;
  RecordingNotifier notifier_;

 private:
  std::unique_ptr<Concerns> concerns_;
};

absl::StatusCode CodeOf(const absl::Status& status) { return status.code(); }

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

// ---- Raising and joining -------------------------------------------------

TEST_F(ConcernsTest, ARaiseGoesToTheContactOfTheTopicInTheNewcomersTown) {
  RaiseResult raised = Raise(Volunteer("4"), Asked("12", "housing"));

  EXPECT_FALSE(raised.joined_existing);
  const v1::Concern& concern = raised.concern;
  EXPECT_THAT(concern.name(), HasSubstr("municipalities/aalborg/concerns/"));
  EXPECT_EQ(concern.state(), v1::Concern::STATE_OPEN);
  EXPECT_EQ(concern.newcomer(), Actor("12"));
  EXPECT_EQ(concern.topic(), "housing");
  EXPECT_EQ(concern.description(), kHousingProblem);
  EXPECT_EQ(concern.contact(), Actor("2"));
  EXPECT_EQ(concern.contact_point(), "municipalities/aalborg/contactPoints/20");
  EXPECT_EQ(concern.contact_display_name(),
            "Mette Hansen (Housing, Aalborg Municipality)");
  ASSERT_EQ(concern.reporters_size(), 1);
  EXPECT_EQ(concern.reporters(0).reporter(), Actor("4"));
  EXPECT_EQ(concern.reporters(0).note(), kHousingProblem);
  EXPECT_FALSE(concern.etag().empty());
  EXPECT_THAT(raised.message, HasSubstr("Mette Hansen"));

  // The contact is told, urgently, keyed by the event published.
  std::vector<ConcernNotice> notices = notifier_.notices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].kind, ConcernNotice::kRaised);
  EXPECT_TRUE(notices[0].urgent());
  EXPECT_THAT(notices[0].recipients, ElementsAre(Actor("2")));
  EXPECT_EQ(notices[0].concern.description(), kHousingProblem);
  std::vector<events::v1::Event> events = StreamEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), "brobygger.notifications.v1.ConcernRaised");
  EXPECT_EQ(events[0].resource(), concern.name());
  EXPECT_EQ(notices[0].event_id, events[0].id());

  auto got = concerns().Get(Volunteer("4"), concern.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->reporters_size(), 1);
}

TEST_F(ConcernsTest, ANewcomerOutsideTheContactsAreaGoesToTheTopicWideContact) {
  AcceptMatch("34", "13", "4");
  RaiseResult raised = Raise(Volunteer("4"), Asked("13", "housing"));
  EXPECT_EQ(raised.concern.contact(), Actor("3"));
  EXPECT_EQ(raised.concern.contact_display_name(), "Lars Nielsen");
  // A topic with no contact point goes to the coordinator.
  RaiseResult health = Raise(Volunteer("4"), Asked("13", "health"));
  EXPECT_EQ(health.concern.contact(), Actor("1"));
  EXPECT_EQ(health.concern.contact_point(), "");
}

TEST_F(ConcernsTest, ASecondVolunteerJoinsTheOpenConcernAndLearnsWhoHandlesIt) {
  RaiseResult first = Raise(Volunteer("4"), Asked("12", "housing"));
  notifier_.Clear();
  now_ = AtDanishTime(2026, 3, 5, 18);

  // Spelt differently, said differently: the same concern.
  RaiseResult second =
      Raise(Volunteer("5"),
            Asked("12", " Housing ", "Amina says the radiators do not work"));

  EXPECT_TRUE(second.joined_existing);
  EXPECT_EQ(second.concern.name(), first.concern.name());
  EXPECT_EQ(second.message,
            "Mette Hansen (Housing, Aalborg Municipality) is already handling "
            "this since 3 March; you have been added and will be told when "
            "it is resolved.");
  ASSERT_EQ(second.concern.reporters_size(), 2);
  EXPECT_EQ(second.concern.reporters(0).reporter(), Actor("4"));
  EXPECT_EQ(second.concern.reporters(1).reporter(), Actor("5"));
  EXPECT_EQ(second.concern.reporters(1).note(),
            "Amina says the radiators do not work");
  EXPECT_NE(second.concern.etag(), first.concern.etag());

  // The contact learns that one more person raised it; the one who joined
  // is told too.
  std::vector<ConcernNotice> notices = notifier_.notices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].kind, ConcernNotice::kJoined);
  EXPECT_FALSE(notices[0].urgent());
  EXPECT_EQ(notices[0].joined_by, Actor("5"));
  EXPECT_THAT(notices[0].recipients, ElementsAre(Actor("2"), Actor("5")));

  EXPECT_THAT(StreamTypes(),
              ElementsAre("brobygger.notifications.v1.ConcernRaised",
                          "brobygger.notifications.v1.ConcernJoined"));
  EXPECT_THAT(ListNames(Caseworker()), ElementsAre(first.concern.name()));
}

TEST_F(ConcernsTest, AReporterRaisingAgainIsNotAddedTwiceButTheirNewNoteIs) {
  Raise(Volunteer("4"), Asked("12", "housing"));
  Raise(Volunteer("5"), Asked("12", "housing", "Radiators are cold"));
  notifier_.Clear();

  RaiseResult same =
      Raise(Volunteer("5"), Asked("12", "housing", "Radiators are cold"));
  EXPECT_TRUE(same.joined_existing);
  EXPECT_THAT(same.message, HasSubstr("you are already on it"));
  EXPECT_EQ(same.concern.reporters_size(), 2);
  EXPECT_THAT(notifier_.notices(), IsEmpty());

  RaiseResult more =
      Raise(Volunteer("5"), Asked("12", "housing", "Now there is mould too"));
  ASSERT_EQ(more.concern.reporters_size(), 2);
  EXPECT_EQ(more.concern.reporters(1).note(),
            "Radiators are cold\n\nNow there is mould too");
  EXPECT_EQ(notifier_.notices().size(), 1u);

  // The one who raised it adds to their own note the same way.
  RaiseResult own =
      Raise(Volunteer("4"), Asked("12", "housing", "Also the door lock"));
  EXPECT_EQ(own.concern.reporters_size(), 2);
  EXPECT_THAT(own.concern.reporters(0).note(), HasSubstr("Also the door lock"));
}

TEST_F(ConcernsTest, ConcurrentRaisesEndWithOneConcernTheOthersJoin) {
  const std::vector<auth::Principal> raisers = {Volunteer("4"), Volunteer("5"),
                                                Volunteer("6"), Caseworker(),
                                                Coordinator()};
  std::vector<absl::StatusOr<RaiseResult>> results(
      raisers.size(), absl::UnknownError("not run"));
  std::latch start(static_cast<std::ptrdiff_t>(raisers.size()));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < raisers.size(); ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      results[i] = concerns().Raise(
          raisers[i], Parent(),
          Asked("12", "housing", absl::StrCat("Seen by raiser ", i)), "");
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::set<std::string> names;
  int opened = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    names.insert(result->concern.name());
    if (!result->joined_existing) ++opened;
  }
  EXPECT_EQ(names.size(), 1u);
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(ListNames(Caseworker()).size(), 1u);
  auto stored = concerns().Get(Caseworker(), *names.begin());
  ASSERT_TRUE(stored.ok());
  std::set<std::string> reporters;
  for (const auto& reporter : stored->reporters()) {
    reporters.insert(reporter.reporter());
  }
  EXPECT_EQ(reporters.size(), raisers.size());
  // One concern raised, the rest joined; the contact heard of each.
  int raised_notices = 0;
  for (const ConcernNotice& notice : notifier_.notices()) {
    if (notice.kind == ConcernNotice::kRaised) ++raised_notices;
  }
  EXPECT_EQ(raised_notices, 1);
  EXPECT_EQ(notifier_.notices().size(), raisers.size());
}

// ---- Resolving ----------------------------------------------------------

TEST_F(ConcernsTest, ResolvingTellsEveryReporterAndTheNextRaiseOpensANewOne) {
  RaiseResult first = Raise(Volunteer("4"), Asked("12", "housing"));
  Raise(Volunteer("5"), Asked("12", "housing", "cold flat"));
  Raise(Caseworker(), Asked("12", "housing", "Amina called the job centre"));
  notifier_.Clear();
  now_ += absl::Hours(30);

  v1::Concern resolved = Resolve(Mette(), first.concern.name());
  EXPECT_EQ(resolved.state(), v1::Concern::STATE_RESOLVED);
  EXPECT_EQ(resolved.resolution(), "The heating was repaired on Monday");
  EXPECT_EQ(resolved.resolve_time().seconds(), absl::ToUnixSeconds(now_));

  std::vector<ConcernNotice> notices = notifier_.notices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].kind, ConcernNotice::kResolved);
  EXPECT_TRUE(notices[0].urgent());
  // The caseworker reported without an actor: nobody to tell by name.
  EXPECT_THAT(notices[0].recipients, ElementsAre(Actor("4"), Actor("5")));
  EXPECT_EQ(notices[0].concern.resolution(),
            "The heating was repaired on Monday");

  notifier_.Clear();
  RaiseResult again =
      Raise(Volunteer("6"), Asked("12", "housing", "Heating broke again"));
  EXPECT_FALSE(again.joined_existing);
  EXPECT_NE(again.concern.name(), first.concern.name());
  ASSERT_EQ(notifier_.notices().size(), 1u);
  EXPECT_EQ(notifier_.notices()[0].kind, ConcernNotice::kRaised);
  // Newest first.
  EXPECT_THAT(ListNames(Caseworker()),
              ElementsAre(again.concern.name(), first.concern.name()));
}

TEST_F(ConcernsTest, OnlyStaffOrTheContactResolveAndOnlyOnce) {
  RaiseResult leisure =
      Raise(Volunteer("4"), Asked("12", "leisure", "Wants to join football"));
  EXPECT_EQ(leisure.concern.contact(), Actor("9"));
  const std::string name = leisure.concern.name();

  // A reporter is not the contact.
  EXPECT_EQ(
      CodeOf(concerns().Resolve(Volunteer("4"), name, "done", "").status()),
      absl::StatusCode::kPermissionDenied);
  // The contact reads and resolves it, though not staff.
  EXPECT_TRUE(concerns().Get(NgoContact(), name).ok());
  EXPECT_THAT(ListNames(NgoContact()), ElementsAre(name));
  // A stale etag is refused.
  EXPECT_EQ(
      CodeOf(concerns().Resolve(NgoContact(), name, "done", "\"9\"").status()),
      absl::StatusCode::kAborted);
  EXPECT_THAT(
      FieldsOf(concerns().Resolve(NgoContact(), name, "  ", "").status()),
      ElementsAre("resolution"));
  EXPECT_THAT(
      FieldsOf(concerns()
                   .Resolve(NgoContact(), name, std::string(2001, 'x'), "")
                   .status()),
      ElementsAre("resolution"));

  auto resolved = concerns().Resolve(
      NgoContact(), name, "Signed up with the club", leisure.concern.etag());
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(
      CodeOf(concerns().Resolve(Caseworker(), name, "again", "").status()),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeOf(concerns()
                       .Resolve(Caseworker(), ConcernName(kMunicipality, "999"),
                                "done", "")
                       .status()),
            absl::StatusCode::kNotFound);
}

// ---- Who may --------------------------------------------------------------

TEST_F(ConcernsTest, AVolunteerNotMatchedWithTheNewcomerIsRefusedEverything) {
  RaiseResult raised = Raise(Volunteer("4"), Asked("12", "housing"));

  EXPECT_EQ(CodeOf(TryRaise(Volunteer("7"), Asked("12", "housing")).status()),
            absl::StatusCode::kPermissionDenied);
  // Whether the newcomer exists is not revealed either.
  EXPECT_EQ(CodeOf(TryRaise(Volunteer("7"), Asked("999", "housing")).status()),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      CodeOf(concerns().Get(Volunteer("7"), raised.concern.name()).status()),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(concerns()
                       .Get(Volunteer("7"), ConcernName(kMunicipality, "999"))
                       .status()),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(concerns()
                       .List(Volunteer("7"), Parent(), 0, "",
                             absl::StrCat("newcomer = \"", Actor("12"), "\""))
                       .status()),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(ListNames(Volunteer("7")), IsEmpty());
  // Nor resolve it.
  EXPECT_EQ(CodeOf(concerns()
                       .Resolve(Volunteer("7"), raised.concern.name(), "ok", "")
                       .status()),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(notifier_.notices().size(), 1u);
}

TEST_F(ConcernsTest, AVolunteerWhoseMatchEndedNoLongerSeesTheConcern) {
  RaiseResult raised = Raise(Volunteer("4"), Asked("12", "housing"));
  EndMatch("30", "12", "4");
  EXPECT_EQ(
      CodeOf(concerns().Get(Volunteer("4"), raised.concern.name()).status()),
      absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(ListNames(Volunteer("4")), IsEmpty());
  EXPECT_EQ(CodeOf(TryRaise(Volunteer("4"), Asked("12", "housing")).status()),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(ConcernsTest, NgoAppsAndOperatorsAreRefused) {
  RaiseResult raised = Raise(Caseworker(), Asked("12", "housing"));
  for (const auth::Principal& principal : {NgoApp(), Operator()}) {
    SCOPED_TRACE(principal.subject);
    EXPECT_EQ(CodeOf(TryRaise(principal, Asked("12", "housing")).status()),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(CodeOf(concerns().Get(principal, raised.concern.name()).status()),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(CodeOf(concerns().List(principal, Parent(), 0, "", "").status()),
              absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(CodeOf(concerns()
                         .Resolve(principal, raised.concern.name(), "ok", "")
                         .status()),
              absl::StatusCode::kPermissionDenied);
  }
}

TEST_F(ConcernsTest, StaffOfAnotherMunicipalityAreRefused) {
  RaiseResult raised = Raise(Caseworker(), Asked("12", "housing"));
  const auth::Principal lejre =
      test::MakePrincipal("caseworker-9", auth::Role::kCaseworker, "lejre");
  EXPECT_EQ(CodeOf(TryRaise(lejre, Asked("12", "housing")).status()),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(concerns().Get(lejre, raised.concern.name()).status()),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(concerns().List(lejre, Parent(), 0, "", "").status()),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeOf(concerns()
                       .Resolve(lejre, raised.concern.name(), "done", "")
                       .status()),
            absl::StatusCode::kPermissionDenied);
}

// ---- Bad input ------------------------------------------------------------

TEST_F(ConcernsTest, BadInputNamesTheField) {
  for (const std::string& topic : std::vector<std::string>{
           "", "hous ing", "bolig!", "boligstøtte", std::string(41, 'h')}) {
    SCOPED_TRACE(topic);
    EXPECT_THAT(FieldsOf(TryRaise(Caseworker(), Asked("12", topic)).status()),
                ElementsAre("concern.topic"));
  }
  EXPECT_THAT(
      FieldsOf(TryRaise(Caseworker(), Asked("12", "housing", " ")).status()),
      ElementsAre("concern.description"));
  EXPECT_THAT(FieldsOf(TryRaise(Caseworker(),
                                Asked("12", "housing", std::string(2001, 'x')))
                           .status()),
              ElementsAre("concern.description"));
  // Characters, not bytes, count: 2000 Danish letters are fine.
  std::string long_danish;
  for (int i = 0; i < 2000; ++i) long_danish += "ø";
  EXPECT_TRUE(TryRaise(Caseworker(), Asked("12", "school", long_danish)).ok());

  v1::Concern elsewhere = Asked("12", "housing");
  elsewhere.set_newcomer("municipalities/lejre/actors/12");
  EXPECT_THAT(FieldsOf(TryRaise(Caseworker(), elsewhere).status()),
              ElementsAre("concern.newcomer"));
  v1::Concern nameless = Asked("12", "housing");
  nameless.set_newcomer("Amina");
  EXPECT_THAT(FieldsOf(TryRaise(Caseworker(), nameless).status()),
              ElementsAre("concern.newcomer"));
  v1::Concern everything_wrong = Asked("12", "", "");
  everything_wrong.clear_newcomer();
  EXPECT_THAT(FieldsOf(TryRaise(Caseworker(), everything_wrong).status()),
              UnorderedElementsAre("concern.newcomer", "concern.topic",
                                   "concern.description"));

  EXPECT_THAT(
      FieldsOf(concerns()
                   .Raise(Caseworker(), "aalborg", Asked("12", "housing"), "")
                   .status()),
      ElementsAre("parent"));
  EXPECT_THAT(
      FieldsOf(TryRaise(Caseworker(), Asked("12", "housing"), "not a uuid!")
                   .status()),
      ElementsAre("request_id"));
  EXPECT_THAT(FieldsOf(concerns().Get(Caseworker(), "concerns/1").status()),
              ElementsAre("name"));
}

TEST_F(ConcernsTest, StaffLearnWhenTheNewcomerIsUnknown) {
  EXPECT_EQ(CodeOf(TryRaise(Caseworker(), Asked("999", "housing")).status()),
            absl::StatusCode::kNotFound);
  // An actor who is not a newcomer is no newcomer.
  EXPECT_EQ(CodeOf(TryRaise(Caseworker(), Asked("4", "housing")).status()),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(CodeOf(concerns()
                       .Get(Caseworker(), ConcernName(kMunicipality, "999"))
                       .status()),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(StreamEvents(), IsEmpty());
}

TEST_F(ConcernsTest, WithoutAContactOrCoordinatorTheRaiseFailsItsPrecondition) {
  rv1::MunicipalityUpdated updated;
  updated.mutable_municipality()->set_name(Parent());
  *updated.mutable_municipality()->mutable_update_time() =
      store::ToTimestamp(absl::Now() + absl::Hours(1));
  Feed(EventOf(Parent(), updated));

  absl::StatusOr<RaiseResult> raised =
      TryRaise(Caseworker(), Asked("12", "health"));
  EXPECT_EQ(CodeOf(raised.status()), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(raised.status().message()), HasSubstr("health"));
  EXPECT_THAT(ListNames(Caseworker()), IsEmpty());
}

// ---- Idempotency ------------------------------------------------------------

TEST_F(ConcernsTest, ARetriedRaiseReturnsTheFirstResult) {
  RaiseResult first = Raise(Volunteer("4"), Asked("12", "housing"), "req-1");
  RaiseResult retry = Raise(Volunteer("4"), Asked("12", "housing"), "req-1");
  EXPECT_EQ(retry.concern.name(), first.concern.name());
  EXPECT_FALSE(retry.joined_existing);
  EXPECT_EQ(retry.message, first.message);

  RaiseResult joined =
      Raise(Volunteer("5"), Asked("12", "housing", "cold"), "req-2");
  RaiseResult joined_retry =
      Raise(Volunteer("5"), Asked("12", "housing", "cold"), "req-2");
  EXPECT_TRUE(joined_retry.joined_existing);
  EXPECT_EQ(joined_retry.concern.name(), first.concern.name());
  EXPECT_EQ(joined_retry.concern.reporters_size(), 2);
  EXPECT_EQ(joined_retry.message, joined.message);

  EXPECT_THAT(StreamTypes(),
              ElementsAre("brobygger.notifications.v1.ConcernRaised",
                          "brobygger.notifications.v1.ConcernJoined"));
  EXPECT_EQ(notifier_.notices().size(), 2u);

  // The same request id for another concern is a client error.
  EXPECT_THAT(
      FieldsOf(
          TryRaise(Volunteer("4"), Asked("12", "school"), "req-1").status()),
      ElementsAre("request_id"));
}

// ---- Listing --------------------------------------------------------------

TEST_F(ConcernsTest, ListsFilterNewestFirstAndPage) {
  AcceptMatch("34", "13", "4");
  const std::string a =
      Raise(Volunteer("4"), Asked("12", "housing")).concern.name();
  const std::string b =
      Raise(Volunteer("4"), Asked("12", "school", "No school place"))
          .concern.name();
  const std::string c =
      Raise(Volunteer("8"), Asked("13", "housing", "Mould")).concern.name();
  const std::string d =
      Raise(Caseworker(), Asked("13", "leisure", "Football")).concern.name();
  Resolve(Caseworker(), b, "A place from August");

  EXPECT_THAT(ListNames(Caseworker()), ElementsAre(d, c, b, a));
  EXPECT_THAT(ListNames(Coordinator(), "state = OPEN"), ElementsAre(d, c, a));
  EXPECT_THAT(ListNames(Caseworker(), "state = RESOLVED"), ElementsAre(b));
  EXPECT_THAT(
      ListNames(Caseworker(), absl::StrCat("newcomer = \"", Actor("12"), "\"")),
      ElementsAre(b, a));
  EXPECT_THAT(ListNames(Caseworker(), "topic = housing"), ElementsAre(c, a));
  EXPECT_THAT(
      ListNames(Caseworker(), absl::StrCat("contact = \"", Actor("9"), "\"")),
      ElementsAre(d));
  EXPECT_THAT(
      ListNames(Caseworker(), absl::StrCat("topic = housing AND newcomer = \"",
                                           Actor("13"), "\" AND state = OPEN")),
      ElementsAre(c));

  // Volunteers see what is about the newcomers they are matched with.
  EXPECT_THAT(ListNames(Volunteer("5")), ElementsAre(b, a));
  EXPECT_THAT(ListNames(Volunteer("8")), ElementsAre(d, c));
  EXPECT_THAT(ListNames(Volunteer("4")), ElementsAre(d, c, b, a));

  // Pages of two, with tokens bound to the query.
  auto first = concerns().List(Caseworker(), Parent(), 2, "", "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->concerns.size(), 2u);
  EXPECT_EQ(first->concerns[0].name(), d);
  EXPECT_FALSE(first->concerns[0].etag().empty());
  ASSERT_FALSE(first->next_page_token.empty());
  auto second =
      concerns().List(Caseworker(), Parent(), 2, first->next_page_token, "");
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->concerns.size(), 2u);
  EXPECT_EQ(second->concerns[0].name(), b);
  EXPECT_EQ(second->concerns[1].name(), a);
  EXPECT_THAT(FieldsOf(concerns()
                           .List(Caseworker(), Parent(), 2,
                                 first->next_page_token, "state = OPEN")
                           .status()),
              ElementsAre("page_token"));

  for (const char* filter :
       {"state = CLOSED", "description = cold", "topic != housing",
        "state = OPEN OR state = RESOLVED"}) {
    SCOPED_TRACE(filter);
    EXPECT_THAT(
        FieldsOf(
            concerns().List(Caseworker(), Parent(), 0, "", filter).status()),
        ElementsAre("filter"));
  }
  EXPECT_THAT(
      FieldsOf(concerns().List(Caseworker(), Parent(), 1001, "", "").status()),
      ElementsAre("page_size"));
}

// ---- Erasure and what events say
// ---------------------------------------------

TEST_F(ConcernsTest, ErasingTheNewcomerRemovesTheirConcernsAndTheirEvents) {
  const std::string open =
      Raise(Volunteer("4"), Asked("12", "housing")).concern.name();
  Raise(Volunteer("5"), Asked("12", "housing", "cold"));
  const std::string resolved =
      Raise(Volunteer("4"), Asked("12", "school", "No school place"))
          .concern.name();
  Resolve(Caseworker(), resolved, "A place from August");
  const std::string other =
      Raise(Volunteer("8"), Asked("13", "housing", "Mould")).concern.name();

  EraseNewcomerFromRegistry("12");
  ASSERT_TRUE(concerns().EraseNewcomer(kMunicipality, "12").ok());

  for (const std::string& name : {open, resolved}) {
    EXPECT_EQ(CodeOf(concerns().Get(Caseworker(), name).status()),
              absl::StatusCode::kNotFound);
  }
  EXPECT_THAT(ListNames(Caseworker()), ElementsAre(other));
  for (const events::v1::Event& event : StreamEvents()) {
    EXPECT_EQ(event.resource(), other);
  }
  EXPECT_EQ(StreamEvents().size(), 1u);
  auto claims =
      pool().Run({"HGETALL", context().keys.OpenConcernClaims(kMunicipality)});
  ASSERT_TRUE(claims.ok());
  ASSERT_EQ(claims->elements.size(), 2u);  // only 13's housing
  EXPECT_EQ(claims->elements[0].str, "13/housing");
  auto trail = pool().Run(
      {"EXISTS", context().keys.ConcernEventTrail(kMunicipality, "12")});
  EXPECT_EQ(trail->integer, 0);

  // Idempotent, and nothing can be raised about them any more.
  EXPECT_TRUE(concerns().EraseNewcomer(kMunicipality, "12").ok());
  EXPECT_EQ(CodeOf(TryRaise(Caseworker(), Asked("12", "housing")).status()),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(ListNames(Caseworker()), ElementsAre(other));
}

TEST_F(ConcernsTest, EventsLeaveOutDescriptionResolutionAndNotes) {
  const std::string name =
      Raise(Volunteer("4"), Asked("12", "housing")).concern.name();
  Raise(Volunteer("5"),
        Asked("12", "housing", "Amina cried about the cold children"));
  Resolve(Mette(), name, "Moved the family to a warm flat in Hals");

  std::vector<events::v1::Event> events = StreamEvents();
  ASSERT_EQ(events.size(), 3u);
  for (const std::string& entry : RawStreamEntries()) {
    EXPECT_THAT(entry, Not(HasSubstr("heating")));
    EXPECT_THAT(entry, Not(HasSubstr("cold children")));
    EXPECT_THAT(entry, Not(HasSubstr("warm flat")));
  }
  v1::ConcernResolved payload;
  ASSERT_TRUE(events[2].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.concern().name(), name);
  EXPECT_EQ(payload.concern().newcomer(), Actor("12"));
  EXPECT_EQ(payload.concern().state(), v1::Concern::STATE_RESOLVED);
  EXPECT_EQ(payload.concern().description(), "");
  EXPECT_EQ(payload.concern().resolution(), "");
  ASSERT_EQ(payload.concern().reporters_size(), 2);
  EXPECT_EQ(payload.concern().reporters(1).reporter(), Actor("5"));
  EXPECT_EQ(payload.concern().reporters(1).note(), "");
  EXPECT_EQ(events[0].caused_by(), Actor("4"));
}

// ---- When telling fails -----------------------------------------------------

TEST_F(ConcernsTest, AFailedNoticeKeepsTheConcernAndComesBackFromItsEvent) {
  notifier_.FailWith(absl::UnavailableError("inbox down"));
  RaiseResult raised = Raise(Volunteer("4"), Asked("12", "housing"));
  ASSERT_FALSE(raised.concern.name().empty());
  EXPECT_TRUE(concerns().Get(Caseworker(), raised.concern.name()).ok());
  Raise(Volunteer("5"), Asked("12", "housing", "cold"));
  EXPECT_THAT(notifier_.notices(), IsEmpty());

  std::vector<events::v1::Event> events = StreamEvents();
  ASSERT_EQ(events.size(), 2u);
  auto raised_notice = concerns().NoticeForEvent(events[0]);
  ASSERT_TRUE(raised_notice.ok()) << raised_notice.status();
  ASSERT_TRUE(raised_notice->has_value());
  EXPECT_EQ((*raised_notice)->kind, ConcernNotice::kRaised);
  EXPECT_EQ((*raised_notice)->event_id, events[0].id());
  EXPECT_THAT((*raised_notice)->recipients, ElementsAre(Actor("2")));
  EXPECT_EQ((*raised_notice)->concern.description(), kHousingProblem);

  auto joined_notice = concerns().NoticeForEvent(events[1]);
  ASSERT_TRUE(joined_notice.ok() && joined_notice->has_value());
  EXPECT_EQ((*joined_notice)->kind, ConcernNotice::kJoined);
  EXPECT_EQ((*joined_notice)->joined_by, Actor("5"));
  EXPECT_THAT((*joined_notice)->recipients,
              ElementsAre(Actor("2"), Actor("5")));

  // Once resolved, only the resolution is news.
  notifier_.FailWith(absl::OkStatus());
  Resolve(Mette(), raised.concern.name());
  events = StreamEvents();
  EXPECT_FALSE(concerns().NoticeForEvent(events[0])->has_value());
  auto resolved_notice = concerns().NoticeForEvent(events[2]);
  ASSERT_TRUE(resolved_notice.ok() && resolved_notice->has_value());
  EXPECT_EQ((*resolved_notice)->kind, ConcernNotice::kResolved);
  EXPECT_THAT((*resolved_notice)->recipients,
              ElementsAre(Actor("4"), Actor("5")));
  // Other events are none of it.
  rv1::ActorCreated unrelated;
  EXPECT_FALSE(
      concerns().NoticeForEvent(EventOf(Actor("4"), unrelated))->has_value());

  // Erased: nothing left to tell.
  EraseNewcomerFromRegistry("12");
  ASSERT_TRUE(concerns().EraseNewcomer(kMunicipality, "12").ok());
  EXPECT_FALSE(concerns().NoticeForEvent(events[2])->has_value());
}

}  // namespace
}  // namespace brobygger::notifications
