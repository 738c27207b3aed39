// Personal plans against a real redis-server: dates from the arrival date,
// snapshots that later template changes leave alone, the registry's word on
// the newcomer, idempotent creates, listing by newcomer, erasure, the
// calendar export, who may see plans at all, and the audit of every read.
#include "services/catalogue/personal_plans.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "brobygger/catalogue/v1/events.pb.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"
#include "services/catalogue/timeline_templates.h"
#include "tests/catalogue/catalogue_fixture.h"

namespace brobygger::catalogue {
namespace {

constexpr char kNewcomer[] = "municipalities/aalborg/actors/12";
constexpr char kOtherNewcomer[] = "municipalities/aalborg/actors/13";

google::protobuf::FieldMask AllFields() {
  google::protobuf::FieldMask mask;
  mask.add_paths("*");
  return mask;
}

bool Names(const absl::Status& status, const std::string& field) {
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    if (violation.field == field) return true;
  }
  return false;
}

v1::TimelineItem Item(const std::string& id, const std::string& title, int week,
                      const std::string& owner) {
  v1::TimelineItem item;
  item.set_id(id);
  item.set_title(title);
  item.set_week_offset(week);
  item.set_owner(owner);
  return item;
}

v1::TimelineTemplate ReceptionTemplate() {
  v1::TimelineTemplate timeline;
  v1::TimelineItem welcome =
      Item("welcome-meeting", "Welcome meeting", 0, "citizen service");
  welcome.set_municipal_task(true);
  *timeline.add_items() = welcome;
  *timeline.add_items() = Item("asylum-centre-visit",
                               "Visit at the asylum centre", -2, "coordinator");
  v1::TimelineItem course =
      Item("housing-course", "Housing course: living healthily", 3,
           "municipalities/aalborg/actors/7");
  course.set_activity("municipalities/aalborg/activities/5");
  *timeline.add_items() = course;
  return timeline;
}

v1::PersonalPlan Plan(const std::string& newcomer,
                      const std::string& arrival = "2027-01-04") {
  v1::PersonalPlan plan;
  plan.set_newcomer(newcomer);
  plan.set_arrival_date(arrival);
  return plan;
}

std::vector<std::string> PlanNames(const std::vector<v1::PersonalPlan>& plans) {
  std::vector<std::string> names;
  for (const v1::PersonalPlan& plan : plans) names.push_back(plan.name());
  return names;
}

int CountOf(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

class PersonalPlansTest : public CatalogueFixture {
 protected:
  void SetUp() override {
    CatalogueFixture::SetUp();
    templates_ = std::make_unique<TimelineTemplates>(*ctx_);
    plans_ = std::make_unique<PersonalPlans>(
        *ctx_, *templates_,
        [this](absl::string_view municipality,
               absl::string_view newcomer_id) -> absl::StatusOr<bool> {
          return known_.contains(absl::StrCat(municipality, "/", newcomer_id));
        });
    known_ = {"aalborg/12", "aalborg/13"};
  }

  void StoreTemplate(const v1::TimelineTemplate& timeline) {
    auto stored =
        templates_->Update(Coordinator(), "aalborg", timeline, AllFields());
    ASSERT_TRUE(stored.ok()) << stored.status();
  }

  v1::PersonalPlan Create(const std::string& newcomer,
                          const std::string& request_id = "") {
    auto plan =
        plans_->Create(Caseworker(), "aalborg", Plan(newcomer), request_id);
    EXPECT_TRUE(plan.ok()) << plan.status();
    return plan.ok() ? *plan : v1::PersonalPlan();
  }

  static std::string IdOf(const v1::PersonalPlan& plan) {
    return plan.name().substr(plan.name().rfind('/') + 1);
  }

  // Events of `type` on Aalborg's stream.
  std::vector<events::v1::Event> EventsOf(const std::string& type) {
    std::vector<events::v1::Event> out;
    for (const events::v1::Event& event : Events("aalborg")) {
      if (event.type() == type) out.push_back(event);
    }
    return out;
  }

  std::set<std::string> known_;
  std::unique_ptr<TimelineTemplates> templates_;
  std::unique_ptr<PersonalPlans> plans_;
};

TEST_F(PersonalPlansTest, DatesAreComputedFromTheArrivalDate) {
  StoreTemplate(ReceptionTemplate());
  const v1::PersonalPlan plan = Create(kNewcomer);
  EXPECT_TRUE(
      absl::StartsWith(plan.name(), "municipalities/aalborg/personalPlans/"));
  EXPECT_EQ(plan.newcomer(), kNewcomer);
  EXPECT_EQ(plan.arrival_date(), "2027-01-04");
  EXPECT_TRUE(plan.has_create_time());
  EXPECT_FALSE(plan.etag().empty());

  // Sorted by date: two weeks before arrival, the arrival week, week 3.
  ASSERT_EQ(plan.items_size(), 3);
  const v1::PlannedItem& visit = plan.items(0);
  EXPECT_EQ(visit.item_id(), "asylum-centre-visit");
  EXPECT_EQ(visit.week_offset(), -2);
  EXPECT_EQ(visit.week_start_date(), "2026-12-21");
  EXPECT_EQ(visit.week_end_date(), "2026-12-27");
  const v1::PlannedItem& welcome = plan.items(1);
  EXPECT_EQ(welcome.item_id(), "welcome-meeting");
  EXPECT_EQ(welcome.week_start_date(), "2027-01-04");
  EXPECT_EQ(welcome.week_end_date(), "2027-01-10");
  EXPECT_TRUE(welcome.municipal_task());
  EXPECT_EQ(welcome.owner(), "citizen service");
  const v1::PlannedItem& course = plan.items(2);
  EXPECT_EQ(course.title(), "Housing course: living healthily");
  EXPECT_EQ(course.week_offset(), 3);
  EXPECT_EQ(course.week_start_date(), "2027-01-25");
  EXPECT_EQ(course.week_end_date(), "2027-01-31");
  EXPECT_EQ(course.activity(), "municipalities/aalborg/activities/5");
  EXPECT_FALSE(course.municipal_task());

  auto read = plans_->Get(Coordinator(), "aalborg", IdOf(plan));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), plan.SerializeAsString());

  const auto created = EventsOf("brobygger.catalogue.v1.PersonalPlanCreated");
  ASSERT_EQ(created.size(), 1u);
  v1::PersonalPlanCreated payload;
  ASSERT_TRUE(created[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.name(), plan.name());
  EXPECT_EQ(payload.newcomer(), kNewcomer);
}

TEST_F(PersonalPlansTest, LaterTemplateChangesDoNotMoveAnExistingPlan) {
  StoreTemplate(ReceptionTemplate());
  const v1::PersonalPlan plan = Create(kNewcomer);

  v1::TimelineTemplate changed = ReceptionTemplate();
  changed.mutable_items(0)->set_week_offset(1);
  *changed.add_items() =
      Item("bank-account", "Open a bank account", 1, "reception corps");
  StoreTemplate(changed);

  auto read = plans_->Get(Caseworker(), "aalborg", IdOf(plan));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->SerializeAsString(), plan.SerializeAsString());
  // A new plan follows the new template.
  EXPECT_EQ(Create(kOtherNewcomer).items_size(), 4);
}

TEST_F(PersonalPlansTest, RefusesUnknownNewcomersBadInputAndEmptyTemplates) {
  auto empty = plans_->Create(Caseworker(), "aalborg", Plan(kNewcomer), "");
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kFailedPrecondition)
      << empty.status();

  StoreTemplate(ReceptionTemplate());
  auto unknown = plans_->Create(Caseworker(), "aalborg",
                                Plan("municipalities/aalborg/actors/14"), "");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(
      absl::StrContains(unknown.status().message(), "registry does not know"))
      << unknown.status();

  auto elsewhere = plans_->Create(Caseworker(), "aalborg",
                                  Plan("municipalities/kolding/actors/12"), "");
  EXPECT_TRUE(Names(elsewhere.status(), "personal_plan.newcomer"))
      << elsewhere.status();
  auto missing =
      plans_->Create(Caseworker(), "aalborg", v1::PersonalPlan(), "");
  EXPECT_TRUE(Names(missing.status(), "personal_plan.newcomer"));
  EXPECT_TRUE(Names(missing.status(), "personal_plan.arrival_date"));
  for (const char* date : {"2027-02-30", "4.1.2027", "2500-01-01"}) {
    auto refused =
        plans_->Create(Caseworker(), "aalborg", Plan(kNewcomer, date), "");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(Names(refused.status(), "personal_plan.arrival_date")) << date;
  }
  EXPECT_TRUE(EventsOf("brobygger.catalogue.v1.PersonalPlanCreated").empty());
  auto none = plans_->List(Caseworker(), "aalborg", 0, "", "");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->plans.empty());
}

TEST_F(PersonalPlansTest, RequestIdMakesCreateIdempotent) {
  StoreTemplate(ReceptionTemplate());
  const v1::PersonalPlan first = Create(kNewcomer, "req-1");
  const v1::PersonalPlan again = Create(kNewcomer, "req-1");
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  const v1::PersonalPlan other = Create(kNewcomer, "req-2");
  EXPECT_NE(other.name(), first.name());

  auto all = plans_->List(Caseworker(), "aalborg", 0, "", "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->plans.size(), 2u);
  EXPECT_EQ(EventsOf("brobygger.catalogue.v1.PersonalPlanCreated").size(), 2u);
  EXPECT_EQ(plans_->Create(Caseworker(), "aalborg", Plan(kNewcomer), "not ok!")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PersonalPlansTest, ListFiltersByNewcomerAndPaginates) {
  StoreTemplate(ReceptionTemplate());
  std::vector<std::string> of_newcomer;
  for (int i = 0; i < 3; ++i) {
    of_newcomer.push_back(Create(kNewcomer).name());
    Create(kOtherNewcomer);
  }

  auto first = plans_->List(Caseworker(), "aalborg", 2, "", kNewcomer);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(PlanNames(first->plans),
            (std::vector<std::string>{of_newcomer[0], of_newcomer[1]}));
  ASSERT_FALSE(first->next_page_token.empty());
  auto second = plans_->List(Caseworker(), "aalborg", 2, first->next_page_token,
                             kNewcomer);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(PlanNames(second->plans),
            (std::vector<std::string>{of_newcomer[2]}));
  EXPECT_TRUE(second->next_page_token.empty());

  // A token belongs to its query.
  auto mixed = plans_->List(Caseworker(), "aalborg", 2, first->next_page_token,
                            kOtherNewcomer);
  EXPECT_TRUE(Names(mixed.status(), "page_token")) << mixed.status();

  auto all = plans_->List(Caseworker(), "aalborg", 0, "", "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->plans.size(), 6u);
  EXPECT_TRUE(all->next_page_token.empty());

  EXPECT_TRUE(Names(plans_->List(Caseworker(), "aalborg", -1, "", "").status(),
                    "page_size"));
  EXPECT_TRUE(
      Names(plans_->List(Caseworker(), "aalborg", 1001, "", "").status(),
            "page_size"));
  EXPECT_TRUE(Names(plans_
                        ->List(Caseworker(), "aalborg", 0, "",
                               "municipalities/kolding/actors/12")
                        .status(),
                    "newcomer"));
}

TEST_F(PersonalPlansTest, DeleteRemovesThePlanAndPublishesTheDeletion) {
  StoreTemplate(ReceptionTemplate());
  const v1::PersonalPlan plan = Create(kNewcomer);
  ASSERT_TRUE(plans_->Delete(Coordinator(), "aalborg", IdOf(plan)).ok());
  EXPECT_EQ(plans_->Get(Coordinator(), "aalborg", IdOf(plan)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(
      plans_->List(Coordinator(), "aalborg", 0, "", kNewcomer)->plans.empty());
  const auto deleted = EventsOf("brobygger.catalogue.v1.PersonalPlanDeleted");
  ASSERT_EQ(deleted.size(), 1u);
  v1::PersonalPlanDeleted payload;
  ASSERT_TRUE(deleted[0].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.name(), plan.name());
  EXPECT_EQ(plans_->Delete(Coordinator(), "aalborg", IdOf(plan)).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PersonalPlansTest, EraseNewcomerRemovesOnlyThatNewcomersPlans) {
  StoreTemplate(ReceptionTemplate());
  const v1::PersonalPlan first = Create(kNewcomer);
  const v1::PersonalPlan other = Create(kOtherNewcomer);
  const v1::PersonalPlan second = Create(kNewcomer);

  ASSERT_TRUE(plans_->EraseNewcomer("aalborg", "12").ok());
  EXPECT_TRUE(
      plans_->List(Caseworker(), "aalborg", 0, "", kNewcomer)->plans.empty());
  auto left = plans_->List(Caseworker(), "aalborg", 0, "", "");
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(PlanNames(left->plans), (std::vector<std::string>{other.name()}));

  std::set<std::string> deleted;
  for (const auto& event :
       EventsOf("brobygger.catalogue.v1.PersonalPlanDeleted")) {
    v1::PersonalPlanDeleted payload;
    ASSERT_TRUE(event.payload().UnpackTo(&payload));
    deleted.insert(payload.name());
    EXPECT_EQ(event.caused_by(), "system");
  }
  EXPECT_EQ(deleted, (std::set<std::string>{first.name(), second.name()}));
  // The events linking the erased newcomer to plans are taken back.
  const auto created = EventsOf("brobygger.catalogue.v1.PersonalPlanCreated");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].resource(), other.name());

  const size_t events_before = Events("aalborg").size();
  EXPECT_TRUE(plans_->EraseNewcomer("aalborg", "12").ok());
  EXPECT_EQ(Events("aalborg").size(), events_before);
}

TEST_F(PersonalPlansTest, EraseNewcomerTakesBackEventsOfEarlierDeletedPlans) {
  StoreTemplate(ReceptionTemplate());
  const v1::PersonalPlan plan = Create(kNewcomer);
  ASSERT_TRUE(plans_->Delete(Caseworker(), "aalborg", IdOf(plan)).ok());
  ASSERT_EQ(EventsOf("brobygger.catalogue.v1.PersonalPlanCreated").size(), 1u);
  ASSERT_TRUE(plans_->EraseNewcomer("aalborg", "12").ok());
  EXPECT_TRUE(EventsOf("brobygger.catalogue.v1.PersonalPlanCreated").empty());
}

TEST_F(PersonalPlansTest, ExportedCalendarHasOneWeekLongEventPerItem) {
  v1::TimelineTemplate timeline = ReceptionTemplate();
  // Week 11 after 2027-01-04 is 2027-03-22..28: summer time starts on the
  // 28th, so that week is an hour shorter.
  *timeline.add_items() =
      Item("sports-club", "Sports club, first visit", 11, "DGI");
  StoreTemplate(timeline);
  const v1::PersonalPlan plan = Create(kNewcomer);

  auto calendar = plans_->ExportCalendar(Caseworker(), "aalborg", IdOf(plan));
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  const std::string& text = *calendar;
  EXPECT_TRUE(absl::StartsWith(text, "BEGIN:VCALENDAR\r\n"));
  EXPECT_TRUE(absl::EndsWith(text, "END:VCALENDAR\r\n"));
  EXPECT_EQ(CountOf(text, "BEGIN:VEVENT\r\n"), 4);
  EXPECT_EQ(CountOf(text, "END:VEVENT\r\n"), 4);
  // Unfold lines (RFC 5545 3.1) before looking at values.
  std::string unfolded = absl::StrReplaceAll(text, {{"\r\n ", ""}});
  EXPECT_TRUE(absl::StrContains(
      unfolded, "DTSTART;TZID=Europe/Copenhagen:20261221T000000\r\n"));
  EXPECT_TRUE(absl::StrContains(
      unfolded, "DTSTART;TZID=Europe/Copenhagen:20270322T000000\r\n"));
  EXPECT_EQ(CountOf(unfolded, "DURATION:PT168H\r\n"), 3);
  EXPECT_EQ(CountOf(unfolded, "DURATION:PT167H\r\n"), 1);
  EXPECT_TRUE(absl::StrContains(
      unfolded,
      absl::StrCat("UID:", plan.name(), "/asylum-centre-visit@brobygger\r\n")));
  EXPECT_TRUE(absl::StrContains(
      unfolded, "SUMMARY:Housing course: living healthily\r\n"));
  EXPECT_TRUE(absl::StrContains(unfolded, "Responsible: coordinator"));
  EXPECT_TRUE(absl::StrContains(unfolded, "Week -2"));
  // Every line is a content line of at most 75 octets.
  for (absl::string_view line : absl::StrSplit(text, "\r\n")) {
    EXPECT_LE(line.size(), 75u) << line;
  }
}

TEST_F(PersonalPlansTest, OnlyTheMunicipalitysCaseworkersAndCoordinators) {
  StoreTemplate(ReceptionTemplate());
  const v1::PersonalPlan plan = Create(kNewcomer);
  const std::string id = IdOf(plan);
  for (const auth::Principal& principal :
       {NgoApp("municipalities/aalborg/actors/7"), Volunteer(), Operator(),
        Caseworker("kolding"), Coordinator("kolding")}) {
    const std::string role(auth::RoleName(principal.role));
    EXPECT_EQ(plans_->Create(principal, "aalborg", Plan(kNewcomer), "")
                  .status()
                  .code(),
              absl::StatusCode::kPermissionDenied)
        << role;
    EXPECT_EQ(plans_->Get(principal, "aalborg", id).status().code(),
              absl::StatusCode::kPermissionDenied)
        << role;
    EXPECT_EQ(plans_->List(principal, "aalborg", 0, "", "").status().code(),
              absl::StatusCode::kPermissionDenied)
        << role;
    EXPECT_EQ(plans_->ExportCalendar(principal, "aalborg", id).status().code(),
              absl::StatusCode::kPermissionDenied)
        << role;
    EXPECT_EQ(plans_->Delete(principal, "aalborg", id).code(),
              absl::StatusCode::kPermissionDenied)
        << role;
  }
  EXPECT_TRUE(plans_->Get(Caseworker(), "aalborg", id).ok());
  EXPECT_EQ(plans_->Get(Caseworker(), "aalborg", "no-such-id").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PersonalPlansTest, EveryReadIsAudited) {
  StoreTemplate(ReceptionTemplate());
  const v1::PersonalPlan plan = Create(kNewcomer);
  const std::string id = IdOf(plan);

  const auto audit_lines = [&](const std::string& output) {
    std::vector<std::string> lines;
    for (absl::string_view line : absl::StrSplit(output, '\n')) {
      if (absl::StrContains(line, "\"audit\":true")) {
        lines.emplace_back(line);
      }
    }
    return lines;
  };
  const auto expect_audited = [&](const std::string& line,
                                  const std::string& method) {
    EXPECT_TRUE(absl::StrContains(line, "personal data read")) << line;
    EXPECT_TRUE(absl::StrContains(line, "\"subject\":\"coordinator-1\""))
        << line;
    EXPECT_TRUE(absl::StrContains(
        line, absl::StrCat("\"resource\":\"", plan.name(), "\"")))
        << line;
    EXPECT_TRUE(absl::StrContains(
        line, absl::StrCat("\"data_subject\":\"", kNewcomer, "\"")))
        << line;
    EXPECT_TRUE(
        absl::StrContains(line, absl::StrCat("\"method\":\"", method, "\"")))
        << line;
  };

  testing::internal::CaptureStderr();
  ASSERT_TRUE(plans_->Get(Coordinator(), "aalborg", id).ok());
  ASSERT_TRUE(plans_->List(Coordinator(), "aalborg", 0, "", "").ok());
  ASSERT_TRUE(plans_->ExportCalendar(Coordinator(), "aalborg", id).ok());
  // A refused read reads nothing and is not logged as a read.
  ASSERT_FALSE(plans_->Get(Volunteer(), "aalborg", id).ok());
  const std::vector<std::string> lines =
      audit_lines(testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 3u);
  expect_audited(lines[0], "GetPersonalPlan");
  expect_audited(lines[1], "ListPersonalPlans");
  expect_audited(lines[2], "ExportPersonalPlanCalendar");
}

}  // namespace
}  // namespace brobygger::catalogue
