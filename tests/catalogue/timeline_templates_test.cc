// The reception timeline template against a real redis-server: what a
// municipality sees before it has one, editing with field masks and etags,
// validation with the API's field paths, the workshop's analysis of the
// stored and of a proposed template, who may do what, and the change event.
#include "services/catalogue/timeline_templates.h"

#include <string>
#include <vector>

#include "brobygger/catalogue/v1/events.pb.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"
#include "tests/catalogue/catalogue_fixture.h"

namespace brobygger::catalogue {
namespace {

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    fields.push_back(violation.field);
  }
  return fields;
}

bool Names(const absl::Status& status, const std::string& field) {
  for (const std::string& named : Fields(status)) {
    if (named == field) return true;
  }
  return false;
}

v1::TimelineItem Item(const std::string& id, int week,
                      const std::string& owner = "job centre",
                      bool municipal_task = false) {
  v1::TimelineItem item;
  item.set_id(id);
  item.set_title("Title of " + id);
  item.set_week_offset(week);
  item.set_owner(owner);
  item.set_municipal_task(municipal_task);
  return item;
}

v1::OrderRule Rule(const std::string& before, const std::string& after,
                   const std::string& reason) {
  v1::OrderRule rule;
  rule.set_before_item_id(before);
  rule.set_after_item_id(after);
  rule.set_reason(reason);
  return rule;
}

// A timeline with the workshop's three findings: four new things in the
// arrival week, long empty stretches, and the housing course placed after
// the move it should prepare.
v1::TimelineTemplate WorkshopTemplate() {
  v1::TimelineTemplate timeline;
  *timeline.add_items() = Item("asylum-centre-visit", -2, "coordinator");
  *timeline.add_items() = Item("welcome-meeting", 0, "citizen service", true);
  *timeline.add_items() = Item("bank-account", 0, "reception corps");
  *timeline.add_items() = Item("doctor", 0, "reception corps");
  *timeline.add_items() = Item("language-school", 0, "language school", true);
  *timeline.add_items() = Item("job-centre", 1, "job centre", true);
  *timeline.add_items() = Item("moving", 4, "housing office", true);
  *timeline.add_items() = Item("housing-course", 6, "Red Cross");
  *timeline.add_items() = Item("leisure-pass", 12, "leisure department");
  *timeline.add_order_rules() =
      Rule("housing-course", "moving",
           "the housing course comes before moving to permanent housing");
  *timeline.add_order_rules() =
      Rule("welcome-meeting", "job-centre", "meet the municipality first");
  return timeline;
}

class TimelineTemplatesTest : public CatalogueFixture {
 protected:
  void SetUp() override {
    CatalogueFixture::SetUp();
    templates_ = std::make_unique<TimelineTemplates>(*ctx_);
  }

  // Stores `timeline` as Aalborg's template and returns what was stored.
  v1::TimelineTemplate Store(const v1::TimelineTemplate& timeline) {
    auto stored =
        templates_->Update(Coordinator(), "aalborg", timeline, Mask({"*"}));
    EXPECT_TRUE(stored.ok()) << stored.status();
    return stored.ok() ? *stored : v1::TimelineTemplate();
  }

  std::unique_ptr<TimelineTemplates> templates_;
};

TEST_F(TimelineTemplatesTest, GetBeforeAnyUpdateIsAnEmptyTemplate) {
  auto timeline = templates_->Get(Caseworker(), "aalborg");
  ASSERT_TRUE(timeline.ok()) << timeline.status();
  EXPECT_EQ(timeline->name(), "municipalities/aalborg/timelineTemplate");
  EXPECT_TRUE(timeline->items().empty());
  EXPECT_TRUE(timeline->order_rules().empty());
  EXPECT_EQ(timeline->max_new_items_per_week(), 3);
  EXPECT_FALSE(timeline->etag().empty());
  EXPECT_TRUE(Events("aalborg").empty());
}

TEST_F(TimelineTemplatesTest, UpdateAndGetRoundTripWithEtags) {
  auto empty = templates_->Get(Coordinator(), "aalborg");
  ASSERT_TRUE(empty.ok());
  v1::TimelineTemplate patch = WorkshopTemplate();
  patch.set_etag(empty->etag());  // The etag of "nothing stored yet".
  auto stored = templates_->Update(Coordinator(), "aalborg", patch,
                                   Mask({"items", "order_rules"}));
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->name(), "municipalities/aalborg/timelineTemplate");
  EXPECT_EQ(stored->items_size(), 9);
  EXPECT_EQ(stored->max_new_items_per_week(), 3);
  EXPECT_TRUE(stored->has_update_time());
  EXPECT_NE(stored->etag(), empty->etag());

  auto read = templates_->Get(Caseworker(), "aalborg");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->SerializeAsString(), stored->SerializeAsString());

  // A masked update changes only its field, on the current etag.
  v1::TimelineTemplate limit;
  limit.set_max_new_items_per_week(5);
  limit.set_etag(read->etag());
  auto updated = templates_->Update(Caseworker(), "aalborg", limit,
                                    Mask({"max_new_items_per_week"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->max_new_items_per_week(), 5);
  EXPECT_EQ(updated->items_size(), 9);
  EXPECT_EQ(updated->order_rules_size(), 2);
  EXPECT_NE(updated->etag(), read->etag());
}

TEST_F(TimelineTemplatesTest, StaleEtagIsRefused) {
  const v1::TimelineTemplate first = Store(WorkshopTemplate());
  v1::TimelineTemplate second_patch;
  second_patch.set_max_new_items_per_week(4);
  second_patch.set_etag(first.etag());
  ASSERT_TRUE(templates_
                  ->Update(Coordinator(), "aalborg", second_patch,
                           Mask({"max_new_items_per_week"}))
                  .ok());

  v1::TimelineTemplate stale;
  stale.set_max_new_items_per_week(7);
  stale.set_etag(first.etag());
  auto refused = templates_->Update(Coordinator(), "aalborg", stale,
                                    Mask({"max_new_items_per_week"}));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAborted)
      << refused.status();
  EXPECT_EQ(templates_->Get(Coordinator(), "aalborg")->max_new_items_per_week(),
            4);

  // The etag of the empty template is stale once one is stored.
  v1::TimelineTemplate from_empty;
  from_empty.set_etag(
      templates_->Get(Coordinator("kolding"), "kolding")->etag());
  from_empty.set_max_new_items_per_week(2);
  EXPECT_EQ(templates_
                ->Update(Coordinator(), "aalborg", from_empty,
                         Mask({"max_new_items_per_week"}))
                .status()
                .code(),
            absl::StatusCode::kAborted);
}

TEST_F(TimelineTemplatesTest, InvalidTemplateNamesProtoFieldsAndStoresNothing) {
  v1::TimelineTemplate timeline;
  *timeline.add_items() = Item("welcome-meeting", 0);
  *timeline.add_items() = Item("welcome-meeting", 1);  // Duplicate id.
  *timeline.add_items() = Item("late-course", 40);     // Beyond week 26.
  *timeline.add_order_rules() = Rule("welcome-meeting", "no-such-item", "");
  auto refused =
      templates_->Update(Coordinator(), "aalborg", timeline, Mask({"*"}));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(refused.status(), "timeline_template.items[1].id"))
      << refused.status();
  EXPECT_TRUE(Names(refused.status(), "timeline_template.items[2].week_offset"))
      << refused.status();
  EXPECT_TRUE(
      Names(refused.status(), "timeline_template.order_rules[0].after_item_id"))
      << refused.status();
  for (const std::string& field : Fields(refused.status())) {
    EXPECT_EQ(field.rfind("timeline_template.", 0), 0u) << field;
  }
  // Descriptions cite fields by the same paths.
  EXPECT_NE(refused.status().ToString().find("timeline_template.items[0].id"),
            std::string::npos)
      << refused.status();

  auto stored = templates_->Get(Coordinator(), "aalborg");
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->items().empty());
  EXPECT_TRUE(Events("aalborg").empty());
}

TEST_F(TimelineTemplatesTest, ApiOnlyRulesOnIdsActivitiesAndLimits) {
  v1::TimelineTemplate timeline;
  *timeline.add_items() = Item("Housing Course", 3);
  v1::TimelineItem elsewhere = Item("dinner", 2);
  elsewhere.set_activity("municipalities/kolding/activities/4");
  *timeline.add_items() = elsewhere;
  v1::TimelineItem not_activity = Item("cafe", 2);
  not_activity.set_activity("municipalities/aalborg/actors/4");
  *timeline.add_items() = not_activity;
  v1::TimelineItem fine = Item("homework-cafe", 2);
  fine.set_activity("municipalities/aalborg/activities/4");
  *timeline.add_items() = fine;
  timeline.set_max_new_items_per_week(21);
  auto refused =
      templates_->Update(Caseworker(), "aalborg", timeline, Mask({"*"}));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      Names(refused.status(), "timeline_template.max_new_items_per_week"))
      << refused.status();

  timeline.set_max_new_items_per_week(0);  // The default.
  refused = templates_->Update(Caseworker(), "aalborg", timeline, Mask({"*"}));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(refused.status()),
            (std::vector<std::string>{"timeline_template.items[0].id",
                                      "timeline_template.items[1].activity",
                                      "timeline_template.items[2].activity"}))
      << refused.status();

  timeline.mutable_items()->DeleteSubrange(0, 3);
  auto stored =
      templates_->Update(Caseworker(), "aalborg", timeline, Mask({"*"}));
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->max_new_items_per_week(), 3);
  EXPECT_EQ(stored->items(0).activity(), "municipalities/aalborg/activities/4");

  // Output-only fields are not the client's to set.
  v1::TimelineTemplate renamed;
  EXPECT_EQ(templates_->Update(Caseworker(), "aalborg", renamed, Mask({"name"}))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  renamed.set_name("municipalities/kolding/timelineTemplate");
  EXPECT_TRUE(Names(
      templates_->Update(Caseworker(), "aalborg", renamed, Mask({"items"}))
          .status(),
      "timeline_template.name"));
}

TEST_F(TimelineTemplatesTest, AnalysisFindsTheWorkshopsThreeProblems) {
  Store(WorkshopTemplate());
  auto analysis = templates_->Analyze(Caseworker(), "aalborg", nullptr, 0);
  ASSERT_TRUE(analysis.ok()) << analysis.status();

  ASSERT_EQ(analysis->overloaded_weeks_size(), 1);
  EXPECT_EQ(analysis->overloaded_weeks(0).week_offset(), 0);
  EXPECT_EQ(
      std::vector<std::string>(analysis->overloaded_weeks(0).item_ids().begin(),
                               analysis->overloaded_weeks(0).item_ids().end()),
      (std::vector<std::string>{"bank-account", "doctor", "language-school",
                                "welcome-meeting"}));

  // Default minimum: three empty weeks.
  ASSERT_EQ(analysis->empty_stretches_size(), 3);
  EXPECT_EQ(analysis->empty_stretches(0).first_week(), -8);
  EXPECT_EQ(analysis->empty_stretches(0).last_week(), -3);
  EXPECT_EQ(analysis->empty_stretches(1).first_week(), 7);
  EXPECT_EQ(analysis->empty_stretches(1).last_week(), 11);
  EXPECT_EQ(analysis->empty_stretches(2).first_week(), 13);
  EXPECT_EQ(analysis->empty_stretches(2).last_week(), 26);

  ASSERT_EQ(analysis->broken_rules_size(), 1);
  const v1::BrokenOrderRule& broken = analysis->broken_rules(0);
  EXPECT_EQ(broken.rule().before_item_id(), "housing-course");
  EXPECT_EQ(broken.rule().after_item_id(), "moving");
  EXPECT_EQ(broken.rule().reason(),
            "the housing course comes before moving to permanent housing");
  EXPECT_EQ(broken.before_week(), 6);
  EXPECT_EQ(broken.after_week(), 4);

  // A longer minimum leaves only the long stretches.
  auto long_gaps = templates_->Analyze(Caseworker(), "aalborg", nullptr, 10);
  ASSERT_TRUE(long_gaps.ok());
  ASSERT_EQ(long_gaps->empty_stretches_size(), 1);
  EXPECT_EQ(long_gaps->empty_stretches(0).first_week(), 13);
}

TEST_F(TimelineTemplatesTest, AnalysingAProposalStoresNothing) {
  const v1::TimelineTemplate stored = Store(WorkshopTemplate());
  const size_t events_before = Events("aalborg").size();

  // The workshop's fix: the housing course moves before the move.
  v1::TimelineTemplate proposed = WorkshopTemplate();
  proposed.mutable_items(7)->set_week_offset(3);
  auto analysis = templates_->Analyze(Coordinator(), "aalborg", &proposed, 0);
  ASSERT_TRUE(analysis.ok()) << analysis.status();
  EXPECT_TRUE(analysis->broken_rules().empty());

  auto after = templates_->Get(Coordinator(), "aalborg");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->etag(), stored.etag());
  EXPECT_EQ(after->items(7).week_offset(), 6);
  EXPECT_EQ(Events("aalborg").size(), events_before);

  // A proposal is validated like an update, under its own field name.
  proposed.mutable_items(2)->set_week_offset(-9);
  auto invalid = templates_->Analyze(Coordinator(), "aalborg", &proposed, 0);
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(invalid.status(), "proposed.items[2].week_offset"))
      << invalid.status();

  for (int weeks : {-1, 36}) {
    auto refused =
        templates_->Analyze(Coordinator(), "aalborg", nullptr, weeks);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(Names(refused.status(), "min_empty_weeks")) << weeks;
  }
}

TEST_F(TimelineTemplatesTest,
       OnlyTheMunicipalitysCaseworkersAndCoordinatorsEdit) {
  const v1::TimelineTemplate timeline = WorkshopTemplate();
  for (const auth::Principal& principal :
       {NgoApp("municipalities/aalborg/actors/7"), Volunteer(), Operator()}) {
    auto refused =
        templates_->Update(principal, "aalborg", timeline, Mask({"*"}));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied)
        << auth::RoleName(principal.role);
  }
  // Another municipality's staff neither edit nor read nor analyse.
  EXPECT_EQ(
      templates_
          ->Update(Coordinator("kolding"), "aalborg", timeline, Mask({"*"}))
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(templates_->Get(Caseworker("kolding"), "aalborg").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(templates_->Analyze(Caseworker("kolding"), "aalborg", nullptr, 0)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  EXPECT_TRUE(templates_->Get(Coordinator(), "aalborg")->items().empty());
  EXPECT_TRUE(Events("aalborg").empty());
}

TEST_F(TimelineTemplatesTest, UpdatePublishesTimelineTemplateChanged) {
  const v1::TimelineTemplate stored = Store(WorkshopTemplate());
  const std::vector<events::v1::Event> published = Events("aalborg");
  ASSERT_EQ(published.size(), 1u);
  const events::v1::Event& event = published[0];
  EXPECT_EQ(event.type(), "brobygger.catalogue.v1.TimelineTemplateChanged");
  EXPECT_EQ(event.resource(), "municipalities/aalborg/timelineTemplate");
  EXPECT_EQ(event.municipality(), "aalborg");
  EXPECT_EQ(event.caused_by(), Coordinator().subject);
  v1::TimelineTemplateChanged payload;
  ASSERT_TRUE(event.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.timeline_template().SerializeAsString(),
            stored.SerializeAsString());
  EXPECT_TRUE(Events("kolding").empty());
}

}  // namespace
}  // namespace brobygger::catalogue
