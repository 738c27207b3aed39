// Shared set-up of the catalogue's end-to-end tests: a private
// redis-server, the real `registry` and the real `catalogue` binaries,
// started once per test suite and called over gRPC (and the catalogue's
// calendar feeds over plain HTTP) exactly as clients do.
//
// The catalogue learns organisers and newcomers only from the registry's
// event stream, so the tests create them through the registry's API and
// watch the catalogue follow.
//
// The services keep per-municipality state in memory (the catalogue's
// search index and the set of registry streams it follows), so Redis is
// never flushed between tests: every test gets fresh municipalities of its
// own instead (municipality_ and other_municipality_), created through the
// registry by an operator.
//
// Header-only because tests/e2e compiles only *_test.cc files.
#ifndef BROBYGGER_TESTS_E2E_CATALOGUE_E2E_FIXTURE_H_
#define BROBYGGER_TESTS_E2E_CATALOGUE_E2E_FIXTURE_H_

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "common/auth/principal.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/e2e/registry_e2e_fixture.h"
#include "tests/support/http_get.h"
#include "tests/support/redis_server.h"
#include "tests/support/run_program.h"
#include "tests/support/service_process.h"
#include "tests/support/test_tokens.h"

namespace brobygger::test {

namespace cv1 = ::brobygger::catalogue::v1;
using CatalogueStub = cv1::CatalogueService::Stub;

// How long the catalogue may take to follow a change made in the registry
// ("within a few seconds"). Tests poll; they never sleep this long unless
// the catalogue fails.
inline constexpr absl::Duration kFollowTimeout = absl::Seconds(10);
// The catalogue's flag for its plain-HTTP calendar feeds.
inline constexpr char kFeedListenFlag[] = "feed_listen";
// The public base URL the suite's catalogue puts before feed paths.
inline constexpr char kFeedBaseUrl[] = "https://kalender.example.dk";

// Polls `condition` every 50 ms until it returns true or `timeout` passes;
// returns whether it held.
inline bool Eventually(const std::function<bool()>& condition,
                       absl::Duration timeout = kFollowTimeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (condition()) return true;
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(50));
  }
}

inline google::protobuf::Timestamp TimestampOf(absl::Time time) {
  google::protobuf::Timestamp out;
  const int64_t nanos = absl::ToUnixNanos(time);
  out.set_seconds(nanos / 1000000000);
  out.set_nanos(static_cast<int32_t>(nanos % 1000000000));
  return out;
}

// "2030-01-01T00:00:00Z" as a Timestamp; fails the test if it does not
// parse.
inline google::protobuf::Timestamp Rfc3339(const std::string& text) {
  google::protobuf::Timestamp out;
  EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(text, &out)) << text;
  return out;
}

// A plain GET of `path`, for HttpFetch().
inline HttpCall HttpGetCall(const std::string& path) {
  HttpCall call;
  call.path = path;
  return call;
}

// A weekly language café on Tuesdays 17:00-19:00 in Kærby, published,
// free, in Danish and Arabic, organised by `organiser`.
inline cv1::Activity LanguageCafe(const std::string& organiser) {
  cv1::Activity activity;
  activity.set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
  activity.set_display_name("Sprogcafé i Kærby");
  activity.set_description(
      "Øv dansk over en kop kaffe med frivillige fra lokalområdet.");
  activity.set_organiser(organiser);
  activity.set_category(cv1::CATEGORY_LANGUAGE_CAFE);
  activity.add_languages("da");
  activity.add_languages("ar");
  cv1::Place* place = activity.mutable_place();
  place->set_area("Kærby");
  place->set_venue("Kærby Fritidscenter");
  place->set_address("Tornhøjvej 1, 9220 Aalborg Øst");
  cv1::Schedule* schedule = activity.mutable_schedule();
  // 2025-01-07 is a Tuesday; the rule keeps it going every week.
  schedule->set_start_time("2025-01-07T17:00");
  schedule->mutable_duration()->set_seconds(2 * 3600);
  schedule->set_rrule("FREQ=WEEKLY;BYDAY=TU");
  activity.mutable_price()->set_kind(cv1::Price::KIND_FREE);
  activity.set_state(cv1::ACTIVITY_STATE_PUBLISHED);
  return activity;
}

// What python3-icalendar (Debian's package, independent of our renderer)
// reads from an iCalendar file: one line per VEVENT,
// "<SUMMARY>|<RRULE or ->|<DTSTART, ISO 8601>", in file order.
inline constexpr char kICalendarReader[] = R"py(
import sys
sys.stdout.reconfigure(encoding="utf-8")
import icalendar
with open(sys.argv[1], "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())
for ev in cal.walk("VEVENT"):
    rule = ev.get("RRULE")
    print("%s|%s|%s" % (ev["SUMMARY"],
                        rule.to_ical().decode() if rule is not None else "-",
                        ev.decoded("DTSTART").isoformat()))
)py";

// Runs kICalendarReader on `ics`; the lines it prints, or an error with
// the parser's output (e.g. a traceback for a file it cannot read).
inline absl::StatusOr<std::vector<std::string>> ReadICalendarWithPython(
    const std::string& ics) {
  std::string dir = ::testing::TempDir() + "/catalogue-e2e-ics-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", dir));
  }
  const std::string path = dir + "/calendar.ics";
  std::ofstream(path, std::ios::binary) << ics;
  absl::StatusOr<ProgramResult> run =
      RunProgram({"/usr/bin/python3", "-c", kICalendarReader, path});
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  if (!run.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        run.status().ToString(), " (install python3 and python3-icalendar)"));
  }
  if (run->exit_code != 0) {
    return absl::InternalError(absl::StrCat("python3-icalendar failed (exit ",
                                            run->exit_code, "):\n", run->output,
                                            "\non:\n", ics));
  }
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(run->output, '\n')) {
    if (!line.empty()) lines.emplace_back(line);
  }
  return lines;
}

class CatalogueE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { suite_status_ = StartSuite(); }

  static void TearDownTestSuite() {
    catalogue_.reset();
    registry_.reset();
    redis_.reset();
  }

  static absl::Status StartSuite() {
    absl::StatusOr<std::unique_ptr<RedisServer>> redis = RedisServer::Start();
    if (!redis.ok()) return redis.status();
    redis_ = *std::move(redis);
    ServiceProcess::Options registry_options;
    registry_options.binary = ServiceProcess::BinaryPath("registry");
    registry_options.redis_port = redis_->port();
    absl::StatusOr<std::unique_ptr<ServiceProcess>> registry =
        ServiceProcess::Start(registry_options);
    if (!registry.ok()) return registry.status();
    registry_ = *std::move(registry);
    absl::StatusOr<std::unique_ptr<ServiceProcess>> catalogue =
        ServiceProcess::Start(CatalogueOptions());
    if (!catalogue.ok()) return catalogue.status();
    catalogue_ = *std::move(catalogue);
    return absl::OkStatus();
  }

  // The options the suite's catalogue runs with; tests that start a second
  // catalogue use them too (it gets ports of its own).
  static ServiceProcess::Options CatalogueOptions() {
    ServiceProcess::Options options;
    options.binary = ServiceProcess::BinaryPath("catalogue");
    options.redis_port = redis_->port();
    options.extra_listen_flags = {kFeedListenFlag};
    options.extra_args = {
        absl::StrCat("--drain_timeout=", absl::FormatDuration(kDrainTimeout)),
        absl::StrCat("--feed_base_url=", kFeedBaseUrl)};
    return options;
  }

  // A municipality id no earlier test of this process used.
  static std::string FreshMunicipalityId(const std::string& prefix) {
    static int counter = 0;
    return absl::StrCat(prefix, "-", ++counter);
  }

  void SetUp() override {
    ASSERT_TRUE(suite_status_.ok())
        << "the services could not be started: " << suite_status_;
    ASSERT_TRUE(redis_->running()) << "an earlier test stopped redis-server";
    ASSERT_TRUE(registry_->running())
        << "an earlier test stopped the registry. Log tail:\n"
        << registry_->LogTail();
    ASSERT_TRUE(catalogue_->running())
        << "an earlier test stopped the catalogue. Log tail:\n"
        << catalogue_->LogTail();
    registry_stub_ = registry_->NewStub<rv1::RegistryService>();
    stub_ = catalogue_->NewStub<cv1::CatalogueService>();

    municipality_ = FreshMunicipalityId("aalborg");
    other_municipality_ = FreshMunicipalityId("kolding");
    operator_ = MintTestToken(auth::Role::kOperator, {"*"}, "operator-olivia");
    coordinator_ = MintTestToken(auth::Role::kCoordinator, {municipality_},
                                 "coordinator-lis");
    caseworker_ = MintTestToken(auth::Role::kCaseworker, {municipality_},
                                "caseworker-mette");
    volunteer_ =
        MintTestToken(auth::Role::kVolunteer, {municipality_},
                      absl::StrCat(Parent(municipality_), "/actors/9999"));
    other_coordinator_ = MintTestToken(
        auth::Role::kCoordinator, {other_municipality_}, "coordinator-kolding");

    ASSERT_NO_FATAL_FAILURE(CreateMunicipality(
        municipality_, "Aalborg Kommune", {"Aalborg C", "Kærby", "Vejgaard"}));
    ASSERT_NO_FATAL_FAILURE(CreateMunicipality(
        other_municipality_, "Kolding Kommune", {"Kolding C"}));
  }

  void TearDown() override {
    if (!HasFailure()) return;
    for (const auto& [what, service] :
         {std::make_pair("catalogue", catalogue_.get()),
          std::make_pair("registry", registry_.get())}) {
      if (service == nullptr) continue;
      std::cerr << "--- " << what << " log tail (" << service->log_path()
                << ") ---\n"
                << service->LogTail() << "--- end of " << what << " log ---\n";
    }
  }

  // --- The registry, where organisers and newcomers come from. ---

  void CreateMunicipality(const std::string& id,
                          const std::string& display_name,
                          const std::vector<std::string>& areas) {
    rv1::CreateMunicipalityRequest request;
    request.set_municipality_id(id);
    request.mutable_municipality()->set_display_name(display_name);
    for (const std::string& area : areas) {
      request.mutable_municipality()->add_areas(area);
    }
    auto created = Call(*registry_stub_, &RegistryStub::CreateMunicipality,
                        operator_, request);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  // Creates `actor` in municipality_ as its coordinator; fails the test
  // (and returns an empty actor) if that does not work.
  rv1::Actor MustCreateActor(const rv1::Actor& actor) {
    rv1::CreateActorRequest request;
    request.set_parent(Parent(municipality_));
    *request.mutable_actor() = actor;
    auto created = Call(*registry_stub_, &RegistryStub::CreateActor,
                        coordinator_, request);
    EXPECT_TRUE(created.ok()) << "creating " << actor.display_name()
                              << " in the registry: " << created.status();
    return created.ok() ? *created : rv1::Actor();
  }

  // An NGO branch in Kærby: an organisation that may organise activities.
  rv1::Actor MustCreateOrganiser(const std::string& display_name) {
    return MustCreateActor(
        Organisation(rv1::ACTOR_KIND_NGO_BRANCH, display_name, {"Kærby"}));
  }

  absl::StatusOr<rv1::Actor> RenameActor(const rv1::Actor& actor,
                                         const std::string& display_name) {
    rv1::UpdateActorRequest request;
    request.mutable_actor()->set_name(actor.name());
    request.mutable_actor()->set_display_name(display_name);
    request.mutable_update_mask()->add_paths("display_name");
    return Call(*registry_stub_, &RegistryStub::UpdateActor, coordinator_,
                request);
  }

  absl::Status DeleteActor(const std::string& name) {
    rv1::DeleteActorRequest request;
    request.set_name(name);
    return Call(*registry_stub_, &RegistryStub::DeleteActor, coordinator_,
                request)
        .status();
  }

  // --- The catalogue. ---

  absl::StatusOr<cv1::Activity> CreateActivity(
      const std::string& token, const cv1::Activity& activity,
      const std::string& request_id = "") {
    cv1::CreateActivityRequest request;
    request.set_parent(Parent(municipality_));
    *request.mutable_activity() = activity;
    request.set_request_id(request_id);
    return Call(*stub_, &CatalogueStub::CreateActivity, token, request);
  }

  // Creates as municipality_'s coordinator; fails the test (and returns an
  // empty activity) if that does not work.
  cv1::Activity MustCreateActivity(const cv1::Activity& activity) {
    absl::StatusOr<cv1::Activity> created =
        CreateActivity(coordinator_, activity);
    EXPECT_TRUE(created.ok())
        << "creating " << activity.display_name() << ": " << created.status();
    return created.ok() ? *created : cv1::Activity();
  }

  absl::StatusOr<cv1::Activity> GetActivity(const std::string& token,
                                            const std::string& name) {
    cv1::GetActivityRequest request;
    request.set_name(name);
    return Call(*stub_, &CatalogueStub::GetActivity, token, request);
  }

  absl::StatusOr<cv1::SearchActivitiesResponse> Search(
      const std::string& token, const cv1::ActivityQuery& query,
      int page_size = 0) {
    cv1::SearchActivitiesRequest request;
    request.set_parent(Parent(municipality_));
    *request.mutable_query() = query;
    request.set_page_size(page_size);
    return Call(*stub_, &CatalogueStub::SearchActivities, token, request);
  }

  // The names of the activities a search as the coordinator finds (first
  // page); fails the test if the search fails.
  std::vector<std::string> FoundNames(const cv1::ActivityQuery& query) {
    std::vector<std::string> names;
    auto found = Search(coordinator_, query);
    EXPECT_TRUE(found.ok()) << found.status();
    if (!found.ok()) return names;
    for (const cv1::SearchResult& result : found->results()) {
      names.push_back(result.activity().name());
    }
    return names;
  }

  // Polls GetActivity (as the coordinator) until `done` holds for the
  // activity or kFollowTimeout passes; returns the last one read.
  cv1::Activity AwaitActivity(
      const std::string& name,
      const std::function<bool(const cv1::Activity&)>& done) {
    cv1::Activity last;
    Eventually([&] {
      auto got = GetActivity(coordinator_, name);
      if (!got.ok()) return false;
      last = *got;
      return done(last);
    });
    return last;
  }

  // --- The reception timeline and personal plans. ---

  static cv1::TimelineItem Item(const std::string& id, const std::string& title,
                                int week_offset, const std::string& owner,
                                bool municipal_task) {
    cv1::TimelineItem item;
    item.set_id(id);
    item.set_title(title);
    item.set_week_offset(week_offset);
    item.set_owner(owner);
    item.set_municipal_task(municipal_task);
    return item;
  }

  // Four new things in the arrival week (one more than the default of
  // three a newcomer can absorb), then one each in weeks 2 and 6.
  absl::StatusOr<cv1::TimelineTemplate> StoreOverloadedTimeline(
      const std::string& token) {
    cv1::UpdateTimelineTemplateRequest request;
    cv1::TimelineTemplate* timeline = request.mutable_timeline_template();
    timeline->set_name(
        absl::StrCat(Parent(municipality_), "/timelineTemplate"));
    *timeline->add_items() =
        Item("welcome-meeting", "Welcome meeting", 0, "job centre", true);
    *timeline->add_items() =
        Item("bank-account", "Open a bank account", 0, "citizen service", true);
    *timeline->add_items() =
        Item("doctor", "Register with a doctor", 0, "citizen service", true);
    *timeline->add_items() =
        Item("language-school", "Start at the language school", 0,
             "language school", true);
    *timeline->add_items() =
        Item("housing-course", "Housing course: living healthily", 2,
             "Røde Kors Kærby", false);
    *timeline->add_items() =
        Item("language-cafe", "Language café", 6, "Røde Kors Kærby", false);
    request.mutable_update_mask()->add_paths("*");
    return Call(*stub_, &CatalogueStub::UpdateTimelineTemplate, token, request);
  }

  absl::StatusOr<cv1::PersonalPlan> CreatePersonalPlan(
      const std::string& token, const std::string& newcomer,
      const std::string& arrival_date) {
    cv1::CreatePersonalPlanRequest request;
    request.set_parent(Parent(municipality_));
    request.mutable_personal_plan()->set_newcomer(newcomer);
    request.mutable_personal_plan()->set_arrival_date(arrival_date);
    return Call(*stub_, &CatalogueStub::CreatePersonalPlan, token, request);
  }

  // Creates the plan as the caseworker, retrying while the catalogue does
  // not know the newcomer yet (FAILED_PRECONDITION: the registry's event
  // has not been followed); returns the last answer.
  absl::StatusOr<cv1::PersonalPlan> CreatePlanOnceKnown(
      const std::string& newcomer, const std::string& arrival_date) {
    absl::StatusOr<cv1::PersonalPlan> plan =
        absl::UnknownError("not attempted");
    Eventually([&] {
      plan = CreatePersonalPlan(caseworker_, newcomer, arrival_date);
      return plan.status().code() != absl::StatusCode::kFailedPrecondition;
    });
    return plan;
  }

  absl::StatusOr<cv1::PersonalPlan> GetPersonalPlan(const std::string& token,
                                                    const std::string& name) {
    cv1::GetPersonalPlanRequest request;
    request.set_name(name);
    return Call(*stub_, &CatalogueStub::GetPersonalPlan, token, request);
  }

  // Suite-wide: started once, shared by the suite's tests.
  static inline std::unique_ptr<RedisServer> redis_;
  static inline std::unique_ptr<ServiceProcess> registry_;
  static inline std::unique_ptr<ServiceProcess> catalogue_;
  static inline absl::Status suite_status_;

  std::unique_ptr<RegistryStub> registry_stub_;
  std::unique_ptr<CatalogueStub> stub_;
  std::string municipality_;
  std::string other_municipality_;
  std::string operator_;
  std::string coordinator_;
  std::string caseworker_;
  std::string volunteer_;
  std::string other_coordinator_;
};

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_E2E_CATALOGUE_E2E_FIXTURE_H_
