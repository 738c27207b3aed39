// Broadcasts on a real Redis, with the projection fed by the registry's
// events, an injected clock, and a notifier that records what it is handed
// (and fails on demand).

#include "services/notifications/broadcasts.h"

#include <atomic>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "brobygger/notifications/v1/events.pb.h"
#include "brobygger/registry/v1/forum.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notifications/broadcast_due_queue.h"
#include "services/notifications/broadcast_scheduler.h"
#include "services/notifications/notification_names.h"
#include "tests/notifications/registry_feed.h"
#include "tests/support/test_principals.h"

namespace brobygger::notifications {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

struct NotifyCall {
  std::string municipality;
  std::vector<std::string> ids;
  PersonMessage message;
};

// Records every call; fails the next one when told to.
class RecordingNotifier : public PersonNotifier {
 public:
  absl::Status Notify(absl::string_view municipality,
                      const std::vector<std::string>& actor_ids,
                      const PersonMessage& message) override {
    absl::MutexLock lock(&mu_);
    attempted_keys_.push_back(message.dedupe_key);
    if (!fail_next_.ok()) {
      absl::Status failure = fail_next_;
      fail_next_ = absl::OkStatus();
      return failure;
    }
    calls_.push_back(NotifyCall{std::string(municipality), actor_ids, message});
    return absl::OkStatus();
  }

  void FailNextWith(absl::Status status) {
    absl::MutexLock lock(&mu_);
    fail_next_ = std::move(status);
  }
  std::vector<NotifyCall> calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  std::vector<std::string> attempted_keys() {
    absl::MutexLock lock(&mu_);
    return attempted_keys_;
  }
  // The dedupe keys of the successful calls, in order.
  std::vector<std::string> keys() {
    std::vector<std::string> out;
    for (const NotifyCall& call : calls()) {
      out.push_back(call.message.dedupe_key);
    }
    return out;
  }
  // Every id handed over with the key, as often as it was.
  std::multiset<std::string> IdsFor(const std::string& key) {
    std::multiset<std::string> out;
    for (const NotifyCall& call : calls()) {
      if (call.message.dedupe_key == key) {
        out.insert(call.ids.begin(), call.ids.end());
      }
    }
    return out;
  }
  // Waits until at least `count` calls succeeded (false after `timeout`).
  bool WaitForCalls(size_t count, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto enough = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return calls_.size() >= count;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  }

 private:
  absl::Mutex mu_;
  std::vector<NotifyCall> calls_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> attempted_keys_ ABSL_GUARDED_BY(mu_);
  absl::Status fail_next_ ABSL_GUARDED_BY(mu_);
};

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

absl::Time AtDanishTime(int year, int month, int day, int hour) {
  absl::TimeZone denmark;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &denmark));
  return absl::FromCivil(absl::CivilHour(year, month, day, hour), denmark);
}

class BroadcastsTest : public RegistryFeedTest {
 protected:
  static constexpr char kForumId[] = "3";

  void SetUp() override {
    scheduler_.reset();
    broadcasts_.reset();
    ASSERT_NO_FATAL_FAILURE(RegistryFeedTest::SetUp());
    // Monday 2 March 2026, 09:00 in Denmark.
    {
      absl::MutexLock lock(&now_mu_);
      now_ = AtDanishTime(2026, 3, 2, 9);
    }
    broadcasts_ = std::make_unique<Broadcasts>(context(), projection(),
                                               notifier_, [this] {
                                                 absl::MutexLock lock(&now_mu_);
                                                 return now_;
                                               });
    // The coordinator (1), a caseworker (2), volunteers in Vodskov (4),
    // Nørresundby (5), Vester Hassing (6) and the whole municipality (7),
    // two NGO branches (9, 10) and a newcomer (12).
    CreateActor(EmployeeActor("1", "Karen Coordinator"));
    CreateActor(EmployeeActor("2", "Mette Hansen"));
    CreateActor(VolunteerActor("4", {"Vodskov"}));
    CreateActor(VolunteerActor("5", {"Nørresundby"}));
    CreateActor(VolunteerActor("6", {"Vester Hassing"}));
    CreateActor(VolunteerActor("7", {}));
    for (const char* id : {"9", "10"}) {
      rv1::Actor branch = EmployeeActor(id, "Røde Kors Aalborg");
      branch.set_kind(rv1::ACTOR_KIND_NGO_BRANCH);
      CreateActor(branch);
    }
    CreateActor(NewcomerActor("12", {"Vodskov"}));
    CreateMunicipality("1");
    // The network group: Mette, volunteer 4 and the newcomer, led by the
    // coordinator.
    PutForum(kForumId, {"2", "4", "12"}, "1");
  }
  void TearDown() override {
    scheduler_.reset();
    broadcasts_.reset();
    RegistryFeedTest::TearDown();
  }

  Broadcasts& broadcasts() { return *broadcasts_; }

  void Advance(absl::Duration by) {
    absl::MutexLock lock(&now_mu_);
    now_ += by;
  }
  absl::Time Now() {
    absl::MutexLock lock(&now_mu_);
    return now_;
  }

  // ---- The registry's fora ----

  static std::string Forum(const std::string& id) {
    return absl::StrCat("municipalities/", kMunicipality, "/forums/", id);
  }
  void PutForum(const std::string& id, std::vector<std::string> member_ids,
                const std::string& coordinator_id, bool dissolved = false) {
    rv1::Forum forum;
    forum.set_name(Forum(id));
    forum.set_kind(rv1::FORUM_KIND_NETWORK_GROUP);
    forum.set_display_name("Netværksgruppen Vodskov");
    forum.set_coordinator(Actor(coordinator_id));
    for (const std::string& member : member_ids) {
      forum.add_members()->set_actor(Actor(member));
    }
    forum.set_state(dissolved ? rv1::Forum::STATE_DISSOLVED
                              : rv1::Forum::STATE_ACTIVE);
    // Later feeds are newer, whatever the wall clock says.
    *forum.mutable_update_time() =
        store::ToTimestamp(absl::FromUnixSeconds(1'700'000'000 + ++forums_));
    if (dissolved) {
      rv1::ForumDissolved event;
      *event.mutable_forum() = forum;
      Feed(EventOf(forum.name(), event));
    } else if (forums_ == 1) {
      rv1::ForumCreated event;
      *event.mutable_forum() = forum;
      Feed(EventOf(forum.name(), event));
    } else {
      rv1::ForumUpdated event;
      *event.mutable_forum() = forum;
      Feed(EventOf(forum.name(), event));
    }
  }

  // ---- Principals ----

  static std::string Parent() {
    return absl::StrCat("municipalities/", kMunicipality);
  }
  static auth::Principal Caseworker() {
    return test::MakePrincipal("caseworker-1", auth::Role::kCaseworker,
                               kMunicipality);
  }
  static auth::Principal Coordinator() {
    return test::MakePrincipal(Actor("1"), auth::Role::kCoordinator,
                               kMunicipality);
  }

  // ---- Broadcasts ----

  static v1::Broadcast Asked(v1::Audience audience) {
    v1::Broadcast broadcast;
    *broadcast.mutable_audience() = std::move(audience);
    broadcast.set_title("The language café moves to the library");
    broadcast.set_body(
        "From next week the language café meets on Tuesdays at 19:00 in "
        "Vodskov library, room 2. Bring a friend.");
    return broadcast;
  }
  static v1::Audience ToForum(const std::string& id = kForumId) {
    v1::Audience audience;
    audience.set_forum(Forum(id));
    return audience;
  }
  static v1::Audience ToVolunteersIn(const std::string& area) {
    v1::Audience audience;
    audience.set_volunteers_in_area(area);
    return audience;
  }
  static v1::Audience ToKind(rv1::ActorKind kind) {
    v1::Audience audience;
    audience.set_actor_kind(kind);
    return audience;
  }
  static v1::Broadcast Repeated(v1::Broadcast broadcast, int count, int days) {
    broadcast.set_repeat_count(count);
    broadcast.set_repeat_interval_days(days);
    return broadcast;
  }

  absl::StatusOr<v1::Broadcast> TryCreate(
      const v1::Broadcast& broadcast,
      const auth::Principal& principal = Coordinator(),
      const std::string& request_id = "") {
    return broadcasts().Create(principal, Parent(), broadcast, request_id);
  }
  v1::Broadcast Create(const v1::Broadcast& broadcast,
                       const std::string& request_id = "") {
    absl::StatusOr<v1::Broadcast> created =
        TryCreate(broadcast, Coordinator(), request_id);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::Broadcast();
  }
  v1::Broadcast Get(const std::string& name) {
    absl::StatusOr<v1::Broadcast> got = broadcasts().Get(Caseworker(), name);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : v1::Broadcast();
  }
  int SendDue(int limit = 100) {
    absl::StatusOr<int> sent = broadcasts().SendDue(kMunicipality, limit);
    EXPECT_TRUE(sent.ok()) << sent.status();
    return sent.ok() ? *sent : -1;
  }
  std::optional<absl::Time> DueEntry(const v1::Broadcast& broadcast) {
    BroadcastDueQueue queue(pool(), context().keys);
    auto due = queue.DueTime(kMunicipality, store::IdOf(broadcast.name()));
    EXPECT_TRUE(due.ok()) << due.status();
    return due.ok() ? *due : std::nullopt;
  }

  std::vector<std::string> ListNames(int page_size) {
    std::vector<std::string> names;
    std::string token;
    do {
      auto page = broadcasts().List(Caseworker(), Parent(), page_size, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      if (page_size > 0) {
        EXPECT_LE(static_cast<int>(page->broadcasts.size()), page_size);
      }
      for (const v1::Broadcast& broadcast : page->broadcasts) {
        names.push_back(broadcast.name());
      }
      token = page->next_page_token;
    } while (!token.empty());
    return names;
  }

  std::vector<events::v1::Event> StreamEvents() {
    std::vector<events::v1::Event> out;
    auto reply = pool().Run(
        {"XRANGE", absl::StrCat("notifications:{", kMunicipality, "}:events"),
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

  absl::Mutex now_mu_;
  absl::Time now_ ABSL_GUARDED_BY(now_mu_);
  RecordingNotifier notifier_;
  std::unique_ptr<BroadcastScheduler> scheduler_;
  int forums_ = 0;

 private:
  std::unique_ptr<Broadcasts> broadcasts_;
};

std::multiset<std::string> Ids(std::initializer_list<const char*> ids) {
  return std::multiset<std::string>(ids.begin(), ids.end());
}

constexpr char kCreated[] = "brobygger.notifications.v1.BroadcastCreated";
constexpr char kSent[] = "brobygger.notifications.v1.BroadcastSent";
constexpr char kCancelled[] = "brobygger.notifications.v1.BroadcastCancelled";

// ---- Creating ------------------------------------------------------------

TEST_F(BroadcastsTest,
       ABroadcastWithoutStartTimeIsScheduledForNowNotSentInTheCall) {
  const v1::Broadcast created = Create(Asked(ToVolunteersIn("Vodskov")));

  EXPECT_THAT(created.name(), HasSubstr("municipalities/aalborg/broadcasts/"));
  EXPECT_EQ(created.state(), v1::Broadcast::STATE_SCHEDULED);
  EXPECT_EQ(store::FromTimestamp(created.next_send_time()), Now());
  EXPECT_EQ(created.sent_count(), 0);
  EXPECT_EQ(created.urgency(), v1::URGENCY_NORMAL);
  EXPECT_EQ(created.creator(), Actor("1"));
  EXPECT_FALSE(created.etag().empty());
  EXPECT_EQ(store::FromTimestamp(created.create_time()), Now());
  // Sending a municipality's worth of inboxes is the scheduler's job.
  EXPECT_THAT(notifier_.calls(), IsEmpty());

  EXPECT_EQ(SendDue(), 1);
  ASSERT_EQ(notifier_.calls().size(), 1u);
  const NotifyCall call = notifier_.calls()[0];
  EXPECT_EQ(call.municipality, kMunicipality);
  // Volunteer 4 is in Vodskov, 7 in the whole municipality.
  EXPECT_THAT(call.ids, UnorderedElementsAre("4", "7"));
  const v1::Notification& message = call.message.notification;
  EXPECT_EQ(call.message.dedupe_key, created.name() + "#1");
  EXPECT_EQ(message.topic(), v1::TOPIC_BROADCASTS);
  EXPECT_EQ(message.urgency(), v1::URGENCY_NORMAL);
  EXPECT_EQ(message.title(), "The language café moves to the library");
  EXPECT_THAT(message.body(), HasSubstr("Vodskov library"));
  EXPECT_EQ(message.resource(), created.name());
  EXPECT_EQ(message.event_type(), "brobygger.notifications.v1.Broadcast");
  EXPECT_TRUE(call.message.about_newcomer.empty());

  const v1::Broadcast sent = Get(created.name());
  EXPECT_EQ(sent.state(), v1::Broadcast::STATE_COMPLETED);
  EXPECT_EQ(sent.sent_count(), 1);
  EXPECT_EQ(sent.last_recipient_count(), 2);
  EXPECT_FALSE(sent.has_next_send_time());
  EXPECT_NE(sent.etag(), created.etag());
  EXPECT_EQ(DueEntry(created), std::nullopt);
  EXPECT_EQ(SendDue(), 0);
}

TEST_F(BroadcastsTest, UrgencyAndTrimmedTextAreKept) {
  v1::Broadcast asked = Asked(ToKind(rv1::ACTOR_KIND_NGO_BRANCH));
  asked.set_title("  Road closed in Vodskov tonight \t");
  asked.set_urgency(v1::URGENCY_URGENT);
  const v1::Broadcast created = Create(asked);
  EXPECT_EQ(created.title(), "Road closed in Vodskov tonight");
  ASSERT_EQ(SendDue(), 1);
  EXPECT_EQ(notifier_.calls()[0].message.notification.urgency(),
            v1::URGENCY_URGENT);
  EXPECT_EQ(notifier_.calls()[0].message.notification.title(),
            "Road closed in Vodskov tonight");
}

struct InvalidCase {
  std::string label;
  std::function<void(v1::Broadcast&)> change;
  std::string field;
};

TEST_F(BroadcastsTest, EachInvalidFieldIsNamed) {
  const absl::Time now = Now();
  const std::vector<InvalidCase> cases = {
      {"no audience", [](v1::Broadcast& b) { b.clear_audience(); },
       "broadcast.audience"},
      {"forum not a name",
       [](v1::Broadcast& b) { b.mutable_audience()->set_forum("forum 3"); },
       "broadcast.audience.forum"},
      {"forum of another municipality",
       [](v1::Broadcast& b) {
         b.mutable_audience()->set_forum("municipalities/kolding/forums/3");
       },
       "broadcast.audience.forum"},
      {"newcomers",
       [](v1::Broadcast& b) {
         b.mutable_audience()->set_actor_kind(rv1::ACTOR_KIND_NEWCOMER);
       },
       "broadcast.audience.actor_kind"},
      {"unspecified kind",
       [](v1::Broadcast& b) {
         b.mutable_audience()->set_actor_kind(rv1::ACTOR_KIND_UNSPECIFIED);
       },
       "broadcast.audience.actor_kind"},
      {"unknown kind",
       [](v1::Broadcast& b) {
         b.mutable_audience()->set_actor_kind(static_cast<rv1::ActorKind>(99));
       },
       "broadcast.audience.actor_kind"},
      {"area too long",
       [](v1::Broadcast& b) {
         b.mutable_audience()->set_volunteers_in_area(std::string(101, 'a'));
       },
       "broadcast.audience.volunteers_in_area"},
      {"no title", [](v1::Broadcast& b) { b.set_title("   "); },
       "broadcast.title"},
      {"title too long",
       [](v1::Broadcast& b) { b.set_title(std::string(201, 'x')); },
       "broadcast.title"},
      {"title of two lines",
       [](v1::Broadcast& b) { b.set_title("Meeting\nTuesday"); },
       "broadcast.title"},
      {"no body", [](v1::Broadcast& b) { b.clear_body(); }, "broadcast.body"},
      {"body too long",
       [](v1::Broadcast& b) { b.set_body(std::string(5001, 'x')); },
       "broadcast.body"},
      {"unknown urgency",
       [](v1::Broadcast& b) { b.set_urgency(static_cast<v1::Urgency>(7)); },
       "broadcast.urgency"},
      {"start more than a year ahead",
       [now](v1::Broadcast& b) {
         *b.mutable_start_time() =
             store::ToTimestamp(now + absl::Hours(24 * 366));
       },
       "broadcast.start_time"},
      {"start in the past",
       [now](v1::Broadcast& b) {
         *b.mutable_start_time() = store::ToTimestamp(now - absl::Hours(2));
       },
       "broadcast.start_time"},
      {"negative repeat count",
       [](v1::Broadcast& b) { b.set_repeat_count(-1); },
       "broadcast.repeat_count"},
      {"more than 52 sendings",
       [](v1::Broadcast& b) {
         b.set_repeat_count(53);
         b.set_repeat_interval_days(7);
       },
       "broadcast.repeat_count"},
      {"repeated without interval",
       [](v1::Broadcast& b) { b.set_repeat_count(3); },
       "broadcast.repeat_interval_days"},
      {"interval over a year",
       [](v1::Broadcast& b) {
         b.set_repeat_count(3);
         b.set_repeat_interval_days(366);
       },
       "broadcast.repeat_interval_days"},
      {"negative interval",
       [](v1::Broadcast& b) { b.set_repeat_interval_days(-7); },
       "broadcast.repeat_interval_days"},
  };
  for (const InvalidCase& c : cases) {
    v1::Broadcast asked = Asked(ToVolunteersIn("Vodskov"));
    c.change(asked);
    absl::StatusOr<v1::Broadcast> created = TryCreate(asked);
    EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument)
        << c.label;
    EXPECT_THAT(FieldsOf(created.status()), ElementsAre(c.field)) << c.label;
  }
  // Several at once are all named.
  v1::Broadcast asked;
  asked.set_repeat_count(60);
  EXPECT_THAT(FieldsOf(TryCreate(asked).status()),
              UnorderedElementsAre("broadcast.audience", "broadcast.title",
                                   "broadcast.body", "broadcast.repeat_count",
                                   "broadcast.repeat_interval_days"));
  EXPECT_THAT(FieldsOf(broadcasts()
                           .Create(Coordinator(), "aalborg",
                                   Asked(ToVolunteersIn("")), "")
                           .status()),
              ElementsAre("parent"));
  EXPECT_THAT(FieldsOf(TryCreate(Asked(ToVolunteersIn("")), Coordinator(),
                                 "not a uuid!")
                           .status()),
              ElementsAre("request_id"));
  EXPECT_THAT(notifier_.calls(), IsEmpty());
  EXPECT_THAT(StreamTypes(), IsEmpty());
}

TEST_F(BroadcastsTest, TheLimitsThemselvesAreAccepted) {
  v1::Broadcast asked = Repeated(Asked(ToVolunteersIn("")), 52, 365);
  // Characters, not bytes: 200 "ø" are 400 bytes.
  std::string title;
  for (int i = 0; i < 200; ++i) title += "ø";
  asked.set_title(title);
  asked.set_body(std::string(5000, 'x'));
  *asked.mutable_start_time() =
      store::ToTimestamp(Now() + absl::Hours(24 * 365));
  const absl::StatusOr<v1::Broadcast> created = TryCreate(asked);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(store::FromTimestamp(created->next_send_time()),
            Now() + absl::Hours(24 * 365));

  // Once, with or without an interval.
  EXPECT_TRUE(TryCreate(Repeated(Asked(ToVolunteersIn("")), 1, 0)).ok());
  EXPECT_TRUE(TryCreate(Repeated(Asked(ToVolunteersIn("")), 0, 7)).ok());
  // A start a few minutes past (a slow client clock) means now.
  v1::Broadcast late = Asked(ToVolunteersIn(""));
  *late.mutable_start_time() = store::ToTimestamp(Now() - absl::Minutes(5));
  const absl::StatusOr<v1::Broadcast> now = TryCreate(late);
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(store::FromTimestamp(now->next_send_time()), Now());
}

TEST_F(BroadcastsTest, AForumMustBeKnownAndRunning) {
  absl::StatusOr<v1::Broadcast> unknown = TryCreate(Asked(ToForum("99")));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("forums/99"));

  PutForum("8", {"2"}, "1", /*dissolved=*/true);
  absl::StatusOr<v1::Broadcast> dissolved = TryCreate(Asked(ToForum("8")));
  EXPECT_EQ(dissolved.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(StreamTypes(), IsEmpty());
}

// ---- Who may ----------------------------------------------------------------

TEST_F(BroadcastsTest, OnlyTheMunicipalitysStaffMayUseBroadcasts) {
  const v1::Broadcast created = Create(Asked(ToVolunteersIn("Vodskov")));
  const std::vector<auth::Principal> refused = {
      test::MakePrincipal(Actor("4"), auth::Role::kVolunteer, kMunicipality),
      test::MakePrincipal("red-cross-app", auth::Role::kNgoApp, kMunicipality,
                          Actor("9")),
      test::MakePrincipal("ops-1", auth::Role::kOperator, "*"),
      test::MakePrincipal("caseworker-k", auth::Role::kCaseworker, "kolding"),
      test::MakePrincipal("coordinator-k", auth::Role::kCoordinator, "kolding"),
  };
  for (const auth::Principal& principal : refused) {
    const std::string who = principal.subject;
    EXPECT_EQ(TryCreate(Asked(ToVolunteersIn("")), principal).status().code(),
              absl::StatusCode::kPermissionDenied)
        << who;
    EXPECT_EQ(broadcasts().Get(principal, created.name()).status().code(),
              absl::StatusCode::kPermissionDenied)
        << who;
    EXPECT_EQ(broadcasts().List(principal, Parent(), 0, "").status().code(),
              absl::StatusCode::kPermissionDenied)
        << who;
    EXPECT_EQ(
        broadcasts().Cancel(principal, created.name(), "").status().code(),
        absl::StatusCode::kPermissionDenied)
        << who;
  }
  // Kolding's staff do not reach Aalborg through their own parent either.
  const auth::Principal kolding =
      test::MakePrincipal("caseworker-k", auth::Role::kCaseworker, "kolding");
  auto theirs = broadcasts().List(kolding, "municipalities/kolding", 0, "");
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  EXPECT_THAT(theirs->broadcasts, IsEmpty());

  // A caseworker may do all of it.
  EXPECT_TRUE(TryCreate(Asked(ToVolunteersIn("")), Caseworker()).ok());
  EXPECT_TRUE(broadcasts().Cancel(Caseworker(), created.name(), "").ok());
  EXPECT_EQ(Get(created.name()).state(), v1::Broadcast::STATE_CANCELLED);
}

TEST_F(BroadcastsTest, AMissingBroadcastIsNotFound) {
  EXPECT_EQ(broadcasts()
                .Get(Caseworker(), "municipalities/aalborg/broadcasts/404")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      broadcasts()
          .Cancel(Caseworker(), "municipalities/aalborg/broadcasts/404", "")
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  EXPECT_THAT(FieldsOf(broadcasts().Get(Caseworker(), "broadcasts/1").status()),
              ElementsAre("name"));
}

// ---- Audiences -----------------------------------------------------------

TEST_F(BroadcastsTest, AForumIsResolvedAtEverySending) {
  const v1::Broadcast created = Create(Repeated(Asked(ToForum()), 2, 7));

  ASSERT_EQ(SendDue(), 1);
  // The members and the coordinator; the newcomer in the group has no
  // inbox here.
  EXPECT_EQ(notifier_.IdsFor(created.name() + "#1"), Ids({"1", "2", "4"}));
  EXPECT_EQ(Get(created.name()).last_recipient_count(), 3);

  // Volunteer 5 joins the group before the second sending.
  PutForum(kForumId, {"2", "4", "12", "5"}, "1");
  Advance(absl::Hours(24 * 7));
  ASSERT_EQ(SendDue(), 1);
  EXPECT_EQ(notifier_.IdsFor(created.name() + "#2"), Ids({"1", "2", "4", "5"}));
  const v1::Broadcast done = Get(created.name());
  EXPECT_EQ(done.last_recipient_count(), 4);
  EXPECT_EQ(done.state(), v1::Broadcast::STATE_COMPLETED);
}

TEST_F(BroadcastsTest, AForumDissolvedBeforeASendingReachesNobody) {
  const v1::Broadcast created = Create(Repeated(Asked(ToForum()), 2, 7));
  ASSERT_EQ(SendDue(), 1);
  PutForum(kForumId, {"2", "4"}, "1", /*dissolved=*/true);
  Advance(absl::Hours(24 * 7));

  ASSERT_EQ(SendDue(), 1);
  EXPECT_THAT(notifier_.IdsFor(created.name() + "#2"), IsEmpty());
  const v1::Broadcast done = Get(created.name());
  EXPECT_EQ(done.sent_count(), 2);
  EXPECT_EQ(done.last_recipient_count(), 0);
}

TEST_F(BroadcastsTest, VolunteersInAnAreaAreFoundWithoutCaseOrAccents) {
  const v1::Broadcast upper = Create(Asked(ToVolunteersIn("NØRRESUNDBY")));
  const v1::Broadcast typed = Create(Asked(ToVolunteersIn(" noerresundby ")));
  const v1::Broadcast everyone = Create(Asked(ToVolunteersIn("")));

  ASSERT_EQ(SendDue(), 3);
  // Volunteer 5 lives there; 7 is active in the whole municipality.
  EXPECT_EQ(notifier_.IdsFor(upper.name() + "#1"), Ids({"5", "7"}));
  EXPECT_EQ(notifier_.IdsFor(typed.name() + "#1"), Ids({"5", "7"}));
  EXPECT_EQ(notifier_.IdsFor(everyone.name() + "#1"),
            Ids({"4", "5", "6", "7"}));
  EXPECT_EQ(Get(typed.name()).audience().volunteers_in_area(), "noerresundby");
}

TEST_F(BroadcastsTest, AKindReachesEveryActorOfThatKind) {
  const v1::Broadcast branches =
      Create(Asked(ToKind(rv1::ACTOR_KIND_NGO_BRANCH)));
  const v1::Broadcast employees =
      Create(Asked(ToKind(rv1::ACTOR_KIND_MUNICIPAL_EMPLOYEE)));
  ASSERT_EQ(SendDue(), 2);
  EXPECT_EQ(notifier_.IdsFor(branches.name() + "#1"), Ids({"9", "10"}));
  EXPECT_EQ(notifier_.IdsFor(employees.name() + "#1"), Ids({"1", "2"}));
}

TEST_F(BroadcastsTest, AnAudienceOfThousandsReachesEachOnce) {
  // More than one slice of the notifier's input, so the lease is renewed
  // between slices.
  constexpr int kVolunteers = kSendSlice + 2500;
  for (int i = 0; i < kVolunteers; ++i) {
    CreateActor(VolunteerActor(absl::StrCat(1000 + i), {"Hals"}));
  }
  const v1::Broadcast created = Create(Asked(ToVolunteersIn("Hals")));

  ASSERT_EQ(SendDue(), 1);
  const std::multiset<std::string> ids =
      notifier_.IdsFor(created.name() + "#1");
  // Volunteer 7 (whole municipality) too.
  EXPECT_EQ(ids.size(), static_cast<size_t>(kVolunteers + 1));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(ids.count("1000"), 1u);
  EXPECT_EQ(ids.count(absl::StrCat(1000 + kVolunteers - 1)), 1u);
  EXPECT_EQ(Get(created.name()).last_recipient_count(), kVolunteers + 1);
}

// ---- Repetition ------------------------------------------------------------

TEST_F(BroadcastsTest, ARepeatedBroadcastKeepsItsScheduleAndCompletes) {
  v1::Broadcast asked = Repeated(Asked(ToVolunteersIn("Vodskov")), 3, 7);
  const absl::Time start = Now() + absl::Hours(24);  // Tuesday 09:00
  *asked.mutable_start_time() = store::ToTimestamp(start);
  const v1::Broadcast created = Create(asked);
  EXPECT_EQ(store::FromTimestamp(created.next_send_time()), start);

  EXPECT_EQ(SendDue(), 0);  // not yet
  Advance(absl::Hours(24));
  EXPECT_EQ(SendDue(), 1);
  v1::Broadcast after_first = Get(created.name());
  EXPECT_EQ(after_first.sent_count(), 1);
  EXPECT_EQ(after_first.state(), v1::Broadcast::STATE_SCHEDULED);
  EXPECT_EQ(store::FromTimestamp(after_first.next_send_time()),
            start + absl::Hours(24 * 7));
  EXPECT_EQ(DueEntry(created), start + absl::Hours(24 * 7));
  EXPECT_EQ(SendDue(), 0);  // the same day again: nothing

  Advance(absl::Hours(24 * 7) - absl::Seconds(1));
  EXPECT_EQ(SendDue(), 0);
  Advance(absl::Seconds(1));
  EXPECT_EQ(SendDue(), 1);
  EXPECT_EQ(Get(created.name()).sent_count(), 2);

  Advance(absl::Hours(24 * 7));
  EXPECT_EQ(SendDue(), 1);
  const v1::Broadcast done = Get(created.name());
  EXPECT_EQ(done.sent_count(), 3);
  EXPECT_EQ(done.state(), v1::Broadcast::STATE_COMPLETED);
  EXPECT_FALSE(done.has_next_send_time());
  EXPECT_EQ(DueEntry(created), std::nullopt);

  Advance(absl::Hours(24 * 7));
  EXPECT_EQ(SendDue(), 0);
  EXPECT_THAT(notifier_.keys(),
              ElementsAre(created.name() + "#1", created.name() + "#2",
                          created.name() + "#3"));
}

TEST_F(BroadcastsTest, AWeeklySendingStaysAtItsDanishTimeOverSummerTime) {
  // Monday 23 March 2026 at 09:00; summer time begins on the 29th.
  v1::Broadcast asked = Repeated(Asked(ToVolunteersIn("")), 2, 7);
  *asked.mutable_start_time() =
      store::ToTimestamp(AtDanishTime(2026, 3, 23, 9));
  const v1::Broadcast created = Create(asked);
  Advance(AtDanishTime(2026, 3, 23, 9) - Now());
  ASSERT_EQ(SendDue(), 1);
  EXPECT_EQ(store::FromTimestamp(Get(created.name()).next_send_time()),
            AtDanishTime(2026, 3, 30, 9));
  EXPECT_EQ(AtDanishTime(2026, 3, 30, 9) - AtDanishTime(2026, 3, 23, 9),
            absl::Hours(24 * 7 - 1));
}

TEST_F(BroadcastsTest, AnOverdueRepeatedBroadcastSendsOnceAndKeepsItsRhythm) {
  const v1::Broadcast created =
      Create(Repeated(Asked(ToVolunteersIn("")), 5, 7));
  const absl::Time start = Now();
  // The scheduler was down for fifteen days.
  Advance(absl::Hours(24 * 15));
  EXPECT_EQ(SendDue(), 1);
  EXPECT_EQ(SendDue(), 0);
  const v1::Broadcast after = Get(created.name());
  EXPECT_EQ(after.sent_count(), 1);
  EXPECT_EQ(store::FromTimestamp(after.next_send_time()),
            start + absl::Hours(24 * 21));
}

// ---- Cancelling ------------------------------------------------------------

TEST_F(BroadcastsTest, CancellingStopsTheRemainingSendings) {
  const v1::Broadcast created =
      Create(Repeated(Asked(ToVolunteersIn("Vodskov")), 3, 7));
  ASSERT_EQ(SendDue(), 1);
  const v1::Broadcast sent_once = Get(created.name());

  // A stale etag is refused.
  EXPECT_EQ(broadcasts()
                .Cancel(Coordinator(), created.name(), created.etag())
                .status()
                .code(),
            absl::StatusCode::kAborted);
  absl::StatusOr<v1::Broadcast> cancelled =
      broadcasts().Cancel(Coordinator(), created.name(), sent_once.etag());
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), v1::Broadcast::STATE_CANCELLED);
  EXPECT_FALSE(cancelled->has_next_send_time());
  EXPECT_EQ(cancelled->sent_count(), 1);
  EXPECT_EQ(DueEntry(created), std::nullopt);

  Advance(absl::Hours(24 * 30));
  EXPECT_EQ(SendDue(), 0);
  EXPECT_THAT(notifier_.keys(), ElementsAre(created.name() + "#1"));

  absl::StatusOr<v1::Broadcast> again =
      broadcasts().Cancel(Coordinator(), created.name(), "");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("cancelled already"));
}

TEST_F(BroadcastsTest, ACompletedBroadcastCannotBeCancelled) {
  const v1::Broadcast created = Create(Asked(ToVolunteersIn("")));
  ASSERT_EQ(SendDue(), 1);
  absl::StatusOr<v1::Broadcast> cancelled =
      broadcasts().Cancel(Coordinator(), created.name(), "");
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Get(created.name()).state(), v1::Broadcast::STATE_COMPLETED);
}

// ---- Sending safely
// ----------------------------------------------------------

TEST_F(BroadcastsTest, TwoReplicasSendingAtOnceMakeEachSendingOnce) {
  constexpr int kBroadcasts = 40;
  std::vector<std::string> names;
  for (int i = 0; i < kBroadcasts; ++i) {
    names.push_back(
        Create(Repeated(Asked(ToVolunteersIn("Vodskov")), 2, 1)).name());
  }
  for (int round = 1; round <= 2; ++round) {
    std::atomic<int> total = 0;
    std::latch start(2);
    auto replica = [&] {
      start.arrive_and_wait();
      // Small batches, so the two interleave.
      for (;;) {
        absl::StatusOr<int> sent = broadcasts().SendDue(kMunicipality, 3);
        ASSERT_TRUE(sent.ok()) << sent.status();
        if (*sent == 0) break;
        total += *sent;
      }
    };
    std::thread a(replica);
    std::thread b(replica);
    a.join();
    b.join();
    EXPECT_EQ(total.load(), kBroadcasts) << "round " << round;
    Advance(absl::Hours(24));
  }
  std::map<std::string, int> calls_per_key;
  for (const std::string& key : notifier_.keys()) ++calls_per_key[key];
  EXPECT_EQ(calls_per_key.size(), static_cast<size_t>(2 * kBroadcasts));
  for (const auto& [key, calls] : calls_per_key) {
    EXPECT_EQ(calls, 1) << key;
  }
  for (const std::string& name : names) {
    EXPECT_EQ(Get(name).state(), v1::Broadcast::STATE_COMPLETED);
  }
}

TEST_F(BroadcastsTest, AFailedSendingStaysDueAndIsRetriedWithTheSameKey) {
  const v1::Broadcast created =
      Create(Repeated(Asked(ToVolunteersIn("Vodskov")), 2, 7));
  notifier_.FailNextWith(absl::UnavailableError("inbox store is down"));

  absl::StatusOr<int> failed = broadcasts().SendDue(kMunicipality, 10);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  const v1::Broadcast after_failure = Get(created.name());
  EXPECT_EQ(after_failure.state(), v1::Broadcast::STATE_SCHEDULED);
  EXPECT_EQ(after_failure.sent_count(), 0);
  EXPECT_EQ(store::FromTimestamp(after_failure.next_send_time()),
            store::FromTimestamp(created.next_send_time()));
  EXPECT_EQ(after_failure.etag(), created.etag());

  // Not hammered at once, but after a pause.
  EXPECT_EQ(SendDue(), 0);
  Advance(kSendRetryDelay);
  EXPECT_EQ(SendDue(), 1);
  EXPECT_THAT(notifier_.attempted_keys(),
              ElementsAre(created.name() + "#1", created.name() + "#1"));
  EXPECT_EQ(Get(created.name()).sent_count(), 1);
  EXPECT_THAT(StreamTypes(), ElementsAre(kCreated, kSent));
}

TEST_F(BroadcastsTest, ASendingLeftByACrashedReplicaIsTakenOverAfterItsLease) {
  const v1::Broadcast created = Create(Asked(ToVolunteersIn("Vodskov")));
  // Another replica claimed it and died before recording the sending.
  BroadcastDueQueue queue(pool(), context().keys);
  auto claimed = queue.Claim(kMunicipality, Now(), kSendLease, 10);
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  ASSERT_EQ(claimed->size(), 1u);

  EXPECT_EQ(SendDue(), 0);  // still leased
  Advance(kSendLease);
  EXPECT_EQ(SendDue(), 1);
  EXPECT_THAT(notifier_.keys(), ElementsAre(created.name() + "#1"));
  EXPECT_EQ(Get(created.name()).state(), v1::Broadcast::STATE_COMPLETED);
}

TEST_F(BroadcastsTest, SendDueChecksItsArguments) {
  EXPECT_EQ(broadcasts().SendDue(kMunicipality, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      broadcasts().SendDue(kMunicipality, kMaxSendDueLimit + 1).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(broadcasts().SendDue("", 10).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(BroadcastsTest, SendDueHonoursItsLimit) {
  for (int i = 0; i < 5; ++i) Create(Asked(ToVolunteersIn("")));
  EXPECT_EQ(SendDue(2), 2);
  EXPECT_EQ(SendDue(2), 2);
  EXPECT_EQ(SendDue(2), 1);
  EXPECT_EQ(SendDue(2), 0);
}

// ---- Idempotency, listing, events
// --------------------------------------------

TEST_F(BroadcastsTest, ARetriedCreateReturnsTheFirstBroadcast) {
  const std::string request = "4b1d2c3e-0000-4000-8000-000000000001";
  const v1::Broadcast first = Create(Asked(ToForum()), request);
  const v1::Broadcast retried = Create(Asked(ToForum()), request);
  EXPECT_EQ(retried.name(), first.name());
  EXPECT_EQ(retried.etag(), first.etag());
  EXPECT_THAT(ListNames(50), ElementsAre(first.name()));
  EXPECT_THAT(StreamTypes(), ElementsAre(kCreated));

  v1::Broadcast other = Asked(ToForum());
  other.set_title("Something else entirely");
  absl::StatusOr<v1::Broadcast> misused =
      TryCreate(other, Coordinator(), request);
  EXPECT_THAT(FieldsOf(misused.status()), ElementsAre("request_id"));
}

TEST_F(BroadcastsTest, ListingIsNewestFirstInPages) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) {
    created.push_back(Create(Asked(ToVolunteersIn(""))).name());
  }
  const std::vector<std::string> newest_first(created.rbegin(), created.rend());
  EXPECT_EQ(ListNames(2), newest_first);
  EXPECT_EQ(ListNames(0), newest_first);

  auto first_page = broadcasts().List(Caseworker(), Parent(), 2, "");
  ASSERT_TRUE(first_page.ok());
  EXPECT_FALSE(first_page->next_page_token.empty());
  EXPECT_THAT(
      FieldsOf(
          broadcasts().List(Caseworker(), Parent(), 2, "garbage").status()),
      ElementsAre("page_token"));
  EXPECT_THAT(
      FieldsOf(broadcasts().List(Caseworker(), Parent(), -1, "").status()),
      ElementsAre("page_size"));
}

TEST_F(BroadcastsTest, EveryChangePublishesItsEvent) {
  const v1::Broadcast repeated =
      Create(Repeated(Asked(ToVolunteersIn("Vodskov")), 2, 7));
  ASSERT_EQ(SendDue(), 1);
  Advance(absl::Hours(24 * 7));
  ASSERT_EQ(SendDue(), 1);
  const v1::Broadcast cancelled = Create(Repeated(Asked(ToForum()), 2, 7));
  ASSERT_TRUE(broadcasts().Cancel(Caseworker(), cancelled.name(), "").ok());

  const std::vector<events::v1::Event> events = StreamEvents();
  ASSERT_EQ(events.size(), 5u);
  EXPECT_THAT(StreamTypes(),
              ElementsAre(kCreated, kSent, kSent, kCreated, kCancelled));
  EXPECT_EQ(events[0].resource(), repeated.name());
  EXPECT_EQ(events[0].municipality(), kMunicipality);
  EXPECT_EQ(events[0].caused_by(), Actor("1"));
  v1::BroadcastSent first;
  ASSERT_TRUE(events[1].payload().UnpackTo(&first));
  EXPECT_EQ(first.broadcast().sent_count(), 1);
  EXPECT_EQ(first.broadcast().last_recipient_count(), 2);
  EXPECT_EQ(first.broadcast().state(), v1::Broadcast::STATE_SCHEDULED);
  EXPECT_EQ(events[1].caused_by(), "system");
  v1::BroadcastSent second;
  ASSERT_TRUE(events[2].payload().UnpackTo(&second));
  EXPECT_EQ(second.broadcast().sent_count(), 2);
  EXPECT_EQ(second.broadcast().state(), v1::Broadcast::STATE_COMPLETED);
  v1::BroadcastCancelled gone;
  ASSERT_TRUE(events[4].payload().UnpackTo(&gone));
  EXPECT_EQ(gone.broadcast().name(), cancelled.name());
  EXPECT_EQ(gone.broadcast().state(), v1::Broadcast::STATE_CANCELLED);
  EXPECT_EQ(events[4].caused_by(), "caseworker-1");
}

// ---- The scheduler
// -----------------------------------------------------------

TEST_F(BroadcastsTest, TheSchedulerSendsForEveryFollowedMunicipality) {
  ASSERT_TRUE(
      pool()
          .Run({"SADD", context().keys.Municipalities(), "aalborg", "kolding"})
          .ok());
  const v1::Broadcast aalborg = Create(Asked(ToVolunteersIn("Vodskov")));
  const auth::Principal kolding =
      test::MakePrincipal("caseworker-k", auth::Role::kCaseworker, "kolding");
  absl::StatusOr<v1::Broadcast> theirs = broadcasts().Create(
      kolding, "municipalities/kolding", Asked(ToVolunteersIn("")), "");
  ASSERT_TRUE(theirs.ok()) << theirs.status();

  BroadcastScheduler scheduler(
      context(), broadcasts(),
      BroadcastSchedulerOptions{.interval = absl::Hours(1), .batch = 1});
  absl::StatusOr<int> sent = scheduler.RunOnce();
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 2);
  // Kolding's projection knows no volunteers: a sending to nobody.
  auto kolding_done = broadcasts().Get(kolding, theirs->name());
  ASSERT_TRUE(kolding_done.ok());
  EXPECT_EQ(kolding_done->state(), v1::Broadcast::STATE_COMPLETED);
  EXPECT_EQ(kolding_done->last_recipient_count(), 0);
  EXPECT_THAT(notifier_.keys(), ElementsAre(aalborg.name() + "#1"));
}

TEST_F(BroadcastsTest, TheSchedulerRunsInTheBackgroundAndStopsPromptly) {
  ASSERT_TRUE(
      pool().Run({"SADD", context().keys.Municipalities(), "aalborg"}).ok());
  const v1::Broadcast created = Create(Asked(ToVolunteersIn("Vodskov")));
  // A long interval: Stop must wake the waiting thread, not wait it out.
  scheduler_ = std::make_unique<BroadcastScheduler>(
      context(), broadcasts(),
      BroadcastSchedulerOptions{.interval = absl::Hours(1)});
  scheduler_->Start();
  ASSERT_TRUE(notifier_.WaitForCalls(1, absl::Seconds(30)));
  scheduler_->Stop();
  EXPECT_THAT(notifier_.keys(), ElementsAre(created.name() + "#1"));
  EXPECT_EQ(Get(created.name()).state(), v1::Broadcast::STATE_COMPLETED);
}

}  // namespace
}  // namespace brobygger::notifications
