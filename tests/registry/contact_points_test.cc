// Contact points against a real redis-server: "whom do I contact about
// topic X in area Y", its fallbacks, validation, tenancy, references that
// keep contacts from being deleted, optimistic concurrency and events.
#include "services/registry/contact_points.h"

#include <string>
#include <vector>

#include "brobygger/registry/v1/events.pb.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"
#include "tests/registry/registry_fixture.h"

namespace brobygger::registry {
namespace {

using Response = v1::ResolveContactResponse;

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

bool Names(const absl::Status& status, const std::string& field) {
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    if (violation.field == field) return true;
  }
  return false;
}

std::string Fields(const absl::Status& status) {
  std::string out;
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    out += violation.field + " ";
  }
  return out;
}

v1::ContactChannel Phone(const std::string& number) {
  v1::ContactChannel channel;
  channel.set_type(v1::ContactChannel::TYPE_PHONE);
  channel.set_value(number);
  return channel;
}

v1::ContactPoint Point(const std::string& topic, const std::string& contact,
                       std::vector<std::string> areas = {}, int days = 0) {
  v1::ContactPoint point;
  point.set_topic(topic);
  point.set_contact(contact);
  for (const std::string& area : areas) point.add_areas(area);
  *point.mutable_channel() = Phone("+45 99 31 20 00");
  if (days > 0) {
    point.mutable_response_time()->mutable_expected()->set_seconds(days * 24 *
                                                                   3600);
  }
  return point;
}

class ContactPointsTest : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    if (HasFatalFailure()) return;
    boligteamet_ = MustCreate(
        Coordinator(),
        Organisation("Boligteamet", v1::ACTOR_KIND_MUNICIPAL_DEPARTMENT));
    borgerservice_ = MustCreate(
        Coordinator(),
        Organisation("Borgerservice", v1::ACTOR_KIND_MUNICIPAL_DEPARTMENT));
    v1::Actor anna;
    anna.set_kind(v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE);
    anna.set_display_name("Anna Holm");
    *anna.add_contact_channels() = Phone("+45 99 31 11 11");
    v1::ContactChannel* email = anna.add_contact_channels();
    email->set_type(v1::ContactChannel::TYPE_EMAIL);
    email->set_value("anna.holm@aalborg.dk");
    email->set_preferred(true);
    anna.mutable_response_time()->mutable_expected()->set_seconds(24 * 3600);
    coordinator_ = MustCreate(Coordinator(), anna);
    volunteer_ = MustCreate(Coordinator(), VolunteerActor("Samir"));
  }

  ContactPoints& points() { return registry_->contact_points(); }

  v1::ContactPoint MustCreatePoint(v1::ContactPoint point) {
    auto created =
        points().Create(Coordinator(), "aalborg", std::move(point), "");
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : v1::ContactPoint();
  }

  void SetCoordinator(const std::string& actor) {
    v1::Municipality patch;
    patch.set_name("municipalities/aalborg");
    patch.set_coordinator(actor);
    auto updated = registry_->municipalities().Update(Caseworker(), patch,
                                                      Mask({"coordinator"}));
    ASSERT_TRUE(updated.ok()) << updated.status();
  }

  v1::Actor boligteamet_;
  v1::Actor borgerservice_;
  v1::Actor coordinator_;
  v1::Actor volunteer_;
};

TEST_F(ContactPointsTest, CreateNormalisesTopicAndPublishesEvent) {
  v1::ContactPoint created =
      MustCreatePoint(Point("  Housing ", boligteamet_.name(), {"Kærby"}, 2));
  EXPECT_EQ(created.name(), "municipalities/aalborg/contactPoints/1");
  EXPECT_EQ(created.topic(), "housing");
  EXPECT_EQ(created.etag(), "\"1\"");
  EXPECT_TRUE(created.has_create_time());

  auto events = Events("aalborg");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type(), "brobygger.registry.v1.ContactPointCreated");
  EXPECT_EQ(events.back().resource(), created.name());
  v1::ContactPointCreated payload;
  ASSERT_TRUE(events.back().payload().UnpackTo(&payload));
  EXPECT_EQ(payload.contact_point().topic(), "housing");
  EXPECT_EQ(payload.contact_point().etag(), created.etag());

  auto got = points().Get(Volunteer(volunteer_.name()), created.name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->contact(), boligteamet_.name());
  EXPECT_EQ(got->etag(), created.etag());
}

TEST_F(ContactPointsTest, ResolvePrefersAreaThenWholeMunicipality) {
  MustCreatePoint(Point("housing", borgerservice_.name(), {}, 5));
  MustCreatePoint(Point("housing", boligteamet_.name(), {"Kærby"}, 2));

  auto in_kaerby = points().Resolve(Volunteer(volunteer_.name()), "aalborg",
                                    "Housing", "kaerby");
  ASSERT_TRUE(in_kaerby.ok()) << in_kaerby.status();
  EXPECT_EQ(in_kaerby->resolution(), Response::RESOLUTION_TOPIC_AND_AREA);
  EXPECT_EQ(in_kaerby->contact(), boligteamet_.name());
  EXPECT_EQ(in_kaerby->contact_display_name(), "Boligteamet");
  EXPECT_EQ(in_kaerby->channel().type(), v1::ContactChannel::TYPE_PHONE);
  EXPECT_EQ(in_kaerby->response_time().expected().seconds(), 2 * 24 * 3600);
  EXPECT_EQ(in_kaerby->contact_point().contact(), boligteamet_.name());
  EXPECT_EQ(in_kaerby->explanation(),
            "Housing questions in Kærby go to Boligteamet (phone, answers "
            "within 2 days).");

  auto elsewhere = points().Resolve(Volunteer(volunteer_.name()), "aalborg",
                                    "housing", "St. Restrup");
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.status();
  EXPECT_EQ(elsewhere->resolution(), Response::RESOLUTION_TOPIC);
  EXPECT_EQ(elsewhere->contact(), borgerservice_.name());
  EXPECT_NE(elsewhere->explanation().find("anywhere in Aalborg Kommune go to "
                                          "Borgerservice"),
            std::string::npos)
      << elsewhere->explanation();

  auto no_area = points().Resolve(Coordinator(), "aalborg", "housing", "");
  ASSERT_TRUE(no_area.ok()) << no_area.status();
  EXPECT_EQ(no_area->resolution(), Response::RESOLUTION_TOPIC);
  EXPECT_EQ(no_area->contact(), borgerservice_.name());
}

TEST_F(ContactPointsTest, ResolveFallsBackToCoordinator) {
  MustCreatePoint(Point("housing", boligteamet_.name(), {"Kærby"}, 2));
  SetCoordinator(coordinator_.name());

  auto school = points().Resolve(Volunteer(volunteer_.name()), "aalborg",
                                 "school", "Kærby");
  ASSERT_TRUE(school.ok()) << school.status();
  EXPECT_EQ(school->resolution(), Response::RESOLUTION_COORDINATOR);
  EXPECT_EQ(school->contact(), coordinator_.name());
  EXPECT_EQ(school->contact_display_name(), "Anna Holm");
  EXPECT_FALSE(school->has_contact_point());
  // The coordinator's preferred channel, not the first one.
  EXPECT_EQ(school->channel().type(), v1::ContactChannel::TYPE_EMAIL);
  EXPECT_EQ(school->response_time().expected().seconds(), 24 * 3600);
  EXPECT_NE(school->explanation().find("no contact point for school in Kærby"),
            std::string::npos)
      << school->explanation();

  // Housing has a point for Kærby only: asked without an area, the
  // coordinator answers, and the explanation points to the area.
  auto housing = points().Resolve(Coordinator(), "aalborg", "housing", "");
  ASSERT_TRUE(housing.ok()) << housing.status();
  EXPECT_EQ(housing->resolution(), Response::RESOLUTION_COORDINATOR);
  EXPECT_NE(housing->explanation().find("housing contact points for Kærby"),
            std::string::npos)
      << housing->explanation();
}

TEST_F(ContactPointsTest, ResolveWithNeitherPointNorCoordinatorFails) {
  auto resolved = points().Resolve(Coordinator(), "aalborg", "health", "");
  ASSERT_EQ(resolved.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(resolved.status().message().find("no coordinator"),
            std::string::npos);
  EXPECT_NE(resolved.status().message().find("caseworker"), std::string::npos);
}

TEST_F(ContactPointsTest, ResolveChoosesLowestIdAmongEquals) {
  v1::ContactPoint first =
      MustCreatePoint(Point("leisure", boligteamet_.name(), {"Kærby"}));
  MustCreatePoint(Point("leisure", borgerservice_.name(), {"Kærby"}));
  for (int i = 0; i < 3; ++i) {
    auto resolved =
        points().Resolve(Coordinator(), "aalborg", "leisure", "Kærby");
    ASSERT_TRUE(resolved.ok()) << resolved.status();
    EXPECT_EQ(resolved->contact(), boligteamet_.name());
  }
  ASSERT_TRUE(points().Delete(Coordinator(), first.name(), "").ok());
  auto resolved =
      points().Resolve(Coordinator(), "aalborg", "leisure", "Kærby");
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->contact(), borgerservice_.name());
}

TEST_F(ContactPointsTest, ResolveRejectsBadQuestionsNamingTheField) {
  auto no_topic = points().Resolve(Coordinator(), "aalborg", "  ", "");
  ASSERT_EQ(no_topic.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(no_topic.status(), "topic")) << no_topic.status();

  auto unknown_area =
      points().Resolve(Coordinator(), "aalborg", "housing", "Atlantis");
  ASSERT_EQ(unknown_area.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(unknown_area.status(), "area")) << unknown_area.status();
  EXPECT_NE(unknown_area.status().message().find("Kærby"), std::string::npos);
}

TEST_F(ContactPointsTest, ContactCannotBeDeletedWhileReferenced) {
  v1::ContactPoint point =
      MustCreatePoint(Point("benefits", borgerservice_.name()));
  absl::Status refused =
      registry_->actors().Delete(Coordinator(), borgerservice_.name(), "");
  ASSERT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find("contactPoints/"), std::string::npos)
      << refused;

  ASSERT_TRUE(points().Delete(Coordinator(), point.name(), "").ok());
  absl::Status deleted =
      registry_->actors().Delete(Coordinator(), borgerservice_.name(), "");
  EXPECT_TRUE(deleted.ok()) << deleted;
}

TEST_F(ContactPointsTest, UpdateMovesTheReferenceToTheNewContact) {
  v1::ContactPoint point =
      MustCreatePoint(Point("benefits", borgerservice_.name()));
  v1::ContactPoint patch;
  patch.set_name(point.name());
  patch.set_contact(boligteamet_.name());
  auto updated = points().Update(Caseworker(), patch, Mask({"contact"}));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->contact(), boligteamet_.name());
  EXPECT_EQ(updated->topic(), "benefits");
  EXPECT_EQ(updated->etag(), "\"2\"");

  EXPECT_EQ(
      registry_->actors().Delete(Coordinator(), boligteamet_.name(), "").code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(registry_->actors()
                  .Delete(Coordinator(), borgerservice_.name(), "")
                  .ok());

  auto events = Events("aalborg");
  bool saw_update = false;
  for (const auto& event : events) {
    if (event.type() != "brobygger.registry.v1.ContactPointUpdated") continue;
    saw_update = true;
    v1::ContactPointUpdated payload;
    ASSERT_TRUE(event.payload().UnpackTo(&payload));
    EXPECT_EQ(payload.contact_point().contact(), boligteamet_.name());
    ASSERT_EQ(payload.update_mask().paths_size(), 1);
    EXPECT_EQ(payload.update_mask().paths(0), "contact");
  }
  EXPECT_TRUE(saw_update);
}

TEST_F(ContactPointsTest, InvalidContactPointNamesEveryField) {
  v1::ContactPoint bad;
  bad.add_areas("Atlantis");
  bad.set_note(std::string(1001, 'x'));
  bad.mutable_response_time()->mutable_expected()->set_seconds(91LL * 86400);
  auto created = points().Create(Coordinator(), "aalborg", bad, "");
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* field :
       {"contact_point.topic", "contact_point.areas[0]",
        "contact_point.contact", "contact_point.channel", "contact_point.note",
        "contact_point.response_time.expected"}) {
    EXPECT_TRUE(Names(created.status(), field))
        << field << " not in " << Fields(created.status());
  }

  v1::ContactPoint long_topic =
      Point(std::string(65, 't'), boligteamet_.name());
  EXPECT_TRUE(
      Names(points().Create(Coordinator(), "aalborg", long_topic, "").status(),
            "contact_point.topic"));

  v1::ContactPoint no_channel_value = Point("housing", boligteamet_.name());
  no_channel_value.mutable_channel()->clear_value();
  EXPECT_TRUE(Names(
      points().Create(Coordinator(), "aalborg", no_channel_value, "").status(),
      "contact_point.channel.value"));

  v1::ContactPoint other_tenant =
      Point("housing", "municipalities/kolding/actors/1");
  EXPECT_TRUE(Names(
      points().Create(Coordinator(), "aalborg", other_tenant, "").status(),
      "contact_point.contact"));
}

TEST_F(ContactPointsTest, ContactMustExistAndNotBeAPerson) {
  auto missing = points().Create(
      Coordinator(), "aalborg",
      Point("housing", "municipalities/aalborg/actors/999"), "");
  ASSERT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(missing.status(), "contact_point.contact"));
  EXPECT_NE(missing.status().message().find("does not exist"),
            std::string::npos);

  auto volunteer = points().Create(Coordinator(), "aalborg",
                                   Point("housing", volunteer_.name()), "");
  ASSERT_EQ(volunteer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(volunteer.status(), "contact_point.contact"));
  EXPECT_NE(volunteer.status().message().find("VOLUNTEER"), std::string::npos);

  v1::Actor newcomer = MustCreate(Coordinator(), NewcomerActor("Aster"));
  auto to_newcomer = points().Create(Coordinator(), "aalborg",
                                     Point("housing", newcomer.name()), "");
  EXPECT_EQ(to_newcomer.status().code(), absl::StatusCode::kInvalidArgument);

  // A municipal employee and an organisation are both fine.
  MustCreatePoint(Point("housing", coordinator_.name()));
  v1::Actor red_cross = MustCreate(Coordinator(), Organisation("Røde Kors"));
  MustCreatePoint(Point("volunteering", red_cross.name()));
}

TEST_F(ContactPointsTest, OtherMunicipalitiesAndRolesAreRefused) {
  v1::ContactPoint point =
      MustCreatePoint(Point("housing", boligteamet_.name()));
  const auth::Principal kolding = Coordinator("kolding");
  EXPECT_EQ(points().Get(kolding, point.name()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(points().List(kolding, "aalborg", 10, "", "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      points()
          .Create(kolding, "aalborg", Point("school", boligteamet_.name()), "")
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(points().Resolve(kolding, "aalborg", "housing", "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(points().Delete(kolding, point.name(), "").code(),
            absl::StatusCode::kPermissionDenied);

  // A volunteer of the municipality may ask, but not change.
  const auth::Principal volunteer = Volunteer(volunteer_.name());
  EXPECT_TRUE(points().Resolve(volunteer, "aalborg", "housing", "").ok());
  EXPECT_EQ(points()
                .Create(volunteer, "aalborg",
                        Point("school", boligteamet_.name()), "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(points().Delete(volunteer, point.name(), "").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(points().Get(volunteer, point.name()).ok());
}

TEST_F(ContactPointsTest, StaleEtagIsAborted) {
  v1::ContactPoint point =
      MustCreatePoint(Point("housing", boligteamet_.name()));
  v1::ContactPoint patch;
  patch.set_name(point.name());
  patch.set_note("Ask for the integration team");
  patch.set_etag(point.etag());
  auto first = points().Update(Coordinator(), patch, Mask({"note"}));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->note(), "Ask for the integration team");

  patch.set_note("Mention the case number");
  auto stale = points().Update(Coordinator(), patch, Mask({"note"}));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(points().Delete(Coordinator(), point.name(), point.etag()).code(),
            absl::StatusCode::kAborted);
  EXPECT_TRUE(points().Delete(Coordinator(), point.name(), first->etag()).ok());
  EXPECT_EQ(points().Get(Coordinator(), point.name()).status().code(),
            absl::StatusCode::kNotFound);

  auto events = Events("aalborg");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type(), "brobygger.registry.v1.ContactPointDeleted");
  v1::ContactPointDeleted payload;
  ASSERT_TRUE(events.back().payload().UnpackTo(&payload));
  EXPECT_EQ(payload.name(), point.name());
}

TEST_F(ContactPointsTest, UpdateRefusesOutputOnlyFields) {
  v1::ContactPoint point =
      MustCreatePoint(Point("housing", boligteamet_.name()));
  v1::ContactPoint patch;
  patch.set_name(point.name());
  auto refused = points().Update(Coordinator(), patch, Mask({"create_time"}));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(refused.status(), "update_mask"));

  patch.set_topic("");
  auto emptied = points().Update(Coordinator(), patch, Mask({"topic"}));
  ASSERT_EQ(emptied.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(emptied.status(), "contact_point.topic"));
}

TEST_F(ContactPointsTest, TopicChangeMovesTheResolution) {
  v1::ContactPoint point =
      MustCreatePoint(Point("housing", boligteamet_.name()));
  v1::ContactPoint patch;
  patch.set_name(point.name());
  patch.set_topic("Employment");
  ASSERT_TRUE(points().Update(Coordinator(), patch, Mask({"topic"})).ok());
  auto employment =
      points().Resolve(Coordinator(), "aalborg", "employment", "");
  ASSERT_TRUE(employment.ok()) << employment.status();
  EXPECT_EQ(employment->resolution(), Response::RESOLUTION_TOPIC);
  // Housing has nothing any more, and no coordinator is set.
  EXPECT_EQ(
      points().Resolve(Coordinator(), "aalborg", "housing", "").status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(ContactPointsTest, ListFiltersAndPages) {
  MustCreatePoint(Point("housing", boligteamet_.name(), {"Kærby"}));
  MustCreatePoint(Point("housing", borgerservice_.name(), {"St. Restrup"}));
  MustCreatePoint(Point("benefits", borgerservice_.name()));
  MustCreatePoint(Point("school", coordinator_.name(), {"Kærby"}));
  MustCreatePoint(Point("leisure", coordinator_.name()));

  auto housing =
      points().List(Coordinator(), "aalborg", 10, "", "topic = HOUSING");
  ASSERT_TRUE(housing.ok()) << housing.status();
  ASSERT_EQ(housing->contact_points.size(), 2u);
  EXPECT_EQ(housing->contact_points[0].contact(), boligteamet_.name());
  EXPECT_TRUE(housing->next_cursor.empty());

  auto kaerby =
      points().List(Coordinator(), "aalborg", 10, "", "area = \"KAERBY\"");
  ASSERT_TRUE(kaerby.ok()) << kaerby.status();
  ASSERT_EQ(kaerby->contact_points.size(), 2u);
  EXPECT_EQ(kaerby->contact_points[1].topic(), "school");

  auto by_contact = points().List(
      Coordinator(), "aalborg", 10, "",
      "contact = \"" + borgerservice_.name() + "\" AND topic = benefits");
  ASSERT_TRUE(by_contact.ok()) << by_contact.status();
  ASSERT_EQ(by_contact->contact_points.size(), 1u);
  EXPECT_EQ(by_contact->contact_points[0].topic(), "benefits");

  // Pages of two, oldest first, each point once.
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto result =
        points().List(Volunteer(volunteer_.name()), "aalborg", 2, cursor, "");
    ASSERT_TRUE(result.ok()) << result.status();
    for (const auto& point : result->contact_points)
      seen.push_back(point.name());
    cursor = result->next_cursor;
    if (cursor.empty()) break;
  }
  ASSERT_EQ(seen.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(seen[i],
              "municipalities/aalborg/contactPoints/" + std::to_string(i + 1));
  }

  auto unknown = points().List(Coordinator(), "aalborg", 10, "", "kind = X");
  ASSERT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(unknown.status(), "filter"));
}

TEST_F(ContactPointsTest, SameRequestIdCreatesOnce) {
  const std::string request_id = "0b6b8f4e-3c55-4a43-9d2b-6a1f0e9c7d21";
  auto first =
      points().Create(Coordinator(), "aalborg",
                      Point("housing", boligteamet_.name()), request_id);
  auto second =
      points().Create(Coordinator(), "aalborg",
                      Point("housing", boligteamet_.name()), request_id);
  ASSERT_TRUE(first.ok() && second.ok()) << second.status();
  EXPECT_EQ(first->name(), second->name());
  auto all = points().List(Coordinator(), "aalborg", 10, "", "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->contact_points.size(), 1u);
}

}  // namespace
}  // namespace brobygger::registry
