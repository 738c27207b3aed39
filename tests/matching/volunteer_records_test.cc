// A volunteer's record of service and their proof of volunteer work, over
// a real redis-server: periods are written the way matches write them
// (MatchWrite, as a match becomes active, ends, or is deleted when its
// newcomer is erased), volunteers come from registry events.
#include "services/matching/volunteer_records.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "brobygger/matching/v1/match.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/auth/principal.h"
#include "common/events/event_bus.h"
#include "common/status/errors.h"
#include "common/store/document_store.h"
#include "common/store/resource_io.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/matching/match_store.h"
#include "services/matching/matching_context.h"
#include "services/matching/registry_projection.h"
#include "tests/support/redis_test.h"
#include "tests/support/test_principals.h"

namespace brobygger::matching {
namespace {

using test::MakePrincipal;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
namespace rv1 = ::brobygger::registry::v1;

constexpr char kM[] = "kolding";

absl::TimeZone Denmark() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &zone));
  return zone;
}

// Noon in Denmark on a day: the day of the period, whatever the offset.
absl::Time DanishNoon(int year, int month, int day) {
  return absl::FromCivil(absl::CivilHour(year, month, day, 12), Denmark());
}

std::string Actor(const std::string& id) {
  return absl::StrCat("municipalities/", kM, "/actors/", id);
}
std::string RecordName(const std::string& id) {
  return absl::StrCat("municipalities/", kM, "/volunteerRecords/", id);
}

auth::Principal Coordinator() {
  return MakePrincipal("coordinator-1", auth::Role::kCoordinator, kM);
}
auth::Principal Caseworker() {
  return MakePrincipal("caseworker-1", auth::Role::kCaseworker, kM);
}
auth::Principal Volunteer(const std::string& id) {
  return MakePrincipal(Actor(id), auth::Role::kVolunteer, kM);
}
auth::Principal OrganisationApp(const std::string& organisation_id) {
  return MakePrincipal("red-cross-app", auth::Role::kNgoApp, kM,
                       Actor(organisation_id));
}

// One period of service, as a match lives it.
struct Service {
  std::string match_id;
  v1::MatchKind kind;
  absl::Time activated;
  std::optional<absl::Time> ended;
};

class VolunteerRecordsTest : public test::RedisTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(RedisTest::SetUp());
    documents_ = std::make_unique<store::DocumentStore>(
        pool(), redis::KeySpace(kServiceName), events::StreamRetention());
    ctx_ = std::make_unique<MatchingContext>(MatchingContext{
        pool(), *documents_, MatchingKeys(), events::StreamRetention()});
    store_ = std::make_unique<MatchStore>(*ctx_);
    projection_ = std::make_unique<RegistryProjection>(*ctx_);
    records_ = std::make_unique<VolunteerRecords>(*ctx_, *store_, *projection_);
  }

  VolunteerRecords& records() { return *records_; }

  void ApplyRegistryEvent(const std::string& resource,
                          const google::protobuf::Message& payload) {
    const auto change = projection_->Apply(events::MakeEvent(
        events::EventContext{"registry", "test", ""}, kM, resource, payload));
    ASSERT_TRUE(change.ok()) << change.status();
  }

  void AddVolunteer(const std::string& id, const std::string& display_name,
                    const std::string& organisation_id = "") {
    rv1::ActorCreated created;
    rv1::Actor* actor = created.mutable_actor();
    actor->set_name(Actor(id));
    actor->set_kind(rv1::ACTOR_KIND_VOLUNTEER);
    actor->set_display_name(display_name);
    if (!organisation_id.empty()) actor->set_parent(Actor(organisation_id));
    actor->mutable_volunteer()->set_capacity(10);
    *actor->mutable_update_time() = store::ToTimestamp(absl::Now());
    ApplyRegistryEvent(actor->name(), created);
  }

  void RemoveVolunteer(const std::string& id) {
    rv1::ActorDeleted deleted;
    deleted.set_name(Actor(id));
    deleted.set_kind(rv1::ACTOR_KIND_VOLUNTEER);
    ApplyRegistryEvent(deleted.name(), deleted);
  }

  // The match is proposed, becomes active and, if `ended`, ends: each
  // step through MatchWrite, which keeps the volunteer's periods.
  void Serve(const std::string& volunteer_id, const Service& service) {
    v1::Match match;
    match.set_name(
        absl::StrCat("municipalities/", kM, "/matches/", service.match_id));
    match.set_volunteer_request(absl::StrCat(
        "municipalities/", kM, "/volunteerRequests/", service.match_id));
    match.set_newcomer(Actor("900"));
    match.set_volunteer(Actor(volunteer_id));
    match.set_kind(service.kind);
    match.set_state(v1::Match::STATE_PROPOSED);
    *match.mutable_respond_deadline() =
        store::ToTimestamp(service.activated + absl::Hours(48));
    MatchWrite create = store_->Write(kM);
    create.CreateMatch(service.match_id, match, /*capacity=*/10);
    ASSERT_NO_FATAL_FAILURE(Apply(create));

    match.set_state(v1::Match::STATE_ACTIVE);
    *match.mutable_activate_time() = store::ToTimestamp(service.activated);
    ASSERT_NO_FATAL_FAILURE(Update(service.match_id, match));
    if (service.ended.has_value()) {
      match.set_state(v1::Match::STATE_ENDED);
      *match.mutable_end_time() = store::ToTimestamp(*service.ended);
      ASSERT_NO_FATAL_FAILURE(Update(service.match_id, match));
    }
  }

  // As when the newcomer is erased: the match goes, the period stays.
  void DeleteMatch(const std::string& match_id) {
    const auto stored = store_->LoadMatch(kM, match_id);
    ASSERT_TRUE(stored.ok()) << stored.status();
    MatchWrite write = store_->Write(kM);
    write.DeleteMatch(match_id, *stored);
    ASSERT_NO_FATAL_FAILURE(Apply(write));
  }

 private:
  void Update(const std::string& id, const v1::Match& after) {
    const auto before = store_->LoadMatch(kM, id);
    ASSERT_TRUE(before.ok()) << before.status();
    MatchWrite write = store_->Write(kM);
    write.UpdateMatch(id, *before, after);
    ASSERT_NO_FATAL_FAILURE(Apply(write));
  }
  static void Apply(MatchWrite& write) {
    const auto outcome = write.Run();
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    ASSERT_TRUE(outcome->applied);
  }

  std::unique_ptr<store::DocumentStore> documents_;
  std::unique_ptr<MatchingContext> ctx_;
  std::unique_ptr<MatchStore> store_;
  std::unique_ptr<RegistryProjection> projection_;
  std::unique_ptr<VolunteerRecords> records_;
};

std::string StartOf(const v1::ServicePeriod& period) {
  return absl::StrCat(period.start_date().year(), "-",
                      period.start_date().month(), "-",
                      period.start_date().day());
}

// ---- The record ----

TEST_F(VolunteerRecordsTest, PeriodsOldestFirstAndOverlappingDaysCountOnce) {
  AddVolunteer("11", "Senait Tesfay");
  // Written newest first, to see the record order them.
  Serve("11", {"4", v1::MATCH_KIND_FRIENDSHIP_FAMILY, DanishNoon(2026, 4, 1),
               std::nullopt});
  Serve("11", {"3", v1::MATCH_KIND_RECEPTION_BUDDY, DanishNoon(2026, 3, 5),
               DanishNoon(2026, 3, 20)});
  Serve("11", {"2", v1::MATCH_KIND_NETWORK_FAMILY, DanishNoon(2026, 3, 1),
               DanishNoon(2026, 3, 2)});
  Serve("11", {"1", v1::MATCH_KIND_MENTOR, DanishNoon(2026, 3, 1),
               DanishNoon(2026, 3, 10)});

  const auto record =
      records().Get(Coordinator(), RecordName("11"), DanishNoon(2026, 4, 10));
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->name(), RecordName("11"));
  EXPECT_EQ(record->volunteer(), Actor("11"));
  EXPECT_EQ(record->display_name(), "Senait Tesfay");
  std::vector<std::string> starts;
  std::vector<v1::MatchKind> kinds;
  for (const v1::ServicePeriod& period : record->periods()) {
    starts.push_back(StartOf(period));
    kinds.push_back(period.kind());
  }
  EXPECT_THAT(starts,
              ElementsAre("2026-3-1", "2026-3-1", "2026-3-5", "2026-4-1"));
  EXPECT_THAT(kinds,
              ElementsAre(v1::MATCH_KIND_MENTOR, v1::MATCH_KIND_NETWORK_FAMILY,
                          v1::MATCH_KIND_RECEPTION_BUDDY,
                          v1::MATCH_KIND_FRIENDSHIP_FAMILY));
  EXPECT_FALSE(record->periods(3).has_end_date());
  // 1–20 March (three overlapping periods) and 1–10 April (open).
  EXPECT_EQ(record->days_of_service(), 20 + 10);
}

TEST_F(VolunteerRecordsTest, OpenPeriodCountsUpToTodayInDenmark) {
  AddVolunteer("11", "Senait Tesfay");
  Serve("11", {"1", v1::MATCH_KIND_RECEPTION_BUDDY, DanishNoon(2026, 3, 3),
               std::nullopt});
  // 23:30 UTC on 10 March is already 11 March in Denmark (UTC+1).
  const absl::Time late_evening_utc = absl::FromCivil(
      absl::CivilMinute(2026, 3, 10, 23, 30), absl::UTCTimeZone());
  auto record =
      records().Get(Coordinator(), RecordName("11"), late_evening_utc);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->days_of_service(), 9);  // 3–11 March

  record = records().Get(Coordinator(), RecordName("11"),
                         late_evening_utc - absl::Hours(1));
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->days_of_service(), 8);  // 3–10 March
}

TEST_F(VolunteerRecordsTest, VolunteerWithoutServiceHasAnEmptyRecord) {
  AddVolunteer("11", "Senait Tesfay");
  const auto record = records().Get(Caseworker(), RecordName("11"));
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->display_name(), "Senait Tesfay");
  EXPECT_TRUE(record->periods().empty());
  EXPECT_EQ(record->days_of_service(), 0);
}

TEST_F(VolunteerRecordsTest, UnknownVolunteerIsNotFound) {
  AddVolunteer("11", "Senait Tesfay");
  const auto record = records().Get(Coordinator(), RecordName("12"));
  EXPECT_EQ(record.status().code(), absl::StatusCode::kNotFound)
      << record.status();
}

TEST_F(VolunteerRecordsTest, MalformedNameIsInvalid) {
  const auto record = records().Get(
      Coordinator(), absl::StrCat("municipalities/", kM, "/actors/11"));
  EXPECT_EQ(record.status().code(), absl::StatusCode::kInvalidArgument)
      << record.status();
}

TEST_F(VolunteerRecordsTest, RecordOutlivesTheNewcomerAndTheRegistryEntry) {
  AddVolunteer("11", "Senait Tesfay");
  Serve("11", {"1", v1::MATCH_KIND_RECEPTION_BUDDY, DanishNoon(2026, 3, 3),
               DanishNoon(2026, 9, 2)});
  DeleteMatch("1");  // the newcomer was erased
  RemoveVolunteer("11");

  const auto record =
      records().Get(Coordinator(), RecordName("11"), DanishNoon(2026, 11, 1));
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->display_name(), "");
  ASSERT_EQ(record->periods_size(), 1);
  EXPECT_EQ(record->periods(0).match(), "");
  EXPECT_EQ(record->days_of_service(), 29 + 30 + 31 + 30 + 31 + 31 + 2);

  const auto certificate = records().ExportCertificate(
      Coordinator(), RecordName("11"), "", "", DanishNoon(2026, 11, 1));
  ASSERT_TRUE(certificate.ok()) << certificate.status();
  EXPECT_THAT(certificate->content(),
              HasSubstr("3 March 2026 – 2 September 2026"));
}

// ---- Who may read it ----

TEST_F(VolunteerRecordsTest, VolunteerSeesOwnRecordOnly) {
  AddVolunteer("11", "Senait Tesfay");
  AddVolunteer("12", "Jonas Holm");
  Serve("12",
        {"1", v1::MATCH_KIND_MENTOR, DanishNoon(2026, 3, 3), std::nullopt});

  EXPECT_TRUE(records().Get(Volunteer("11"), RecordName("11")).ok());
  EXPECT_EQ(records().Get(Volunteer("11"), RecordName("12")).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Nor can a volunteer learn which ids exist.
  EXPECT_EQ(records().Get(Volunteer("11"), RecordName("99")).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(VolunteerRecordsTest, OrganisationAppSeesItsOwnVolunteersOnly) {
  AddVolunteer("11", "Senait Tesfay", /*organisation_id=*/"5");
  AddVolunteer("12", "Jonas Holm");

  EXPECT_TRUE(records().Get(OrganisationApp("5"), RecordName("11")).ok());
  EXPECT_EQ(
      records().Get(OrganisationApp("6"), RecordName("11")).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      records().Get(OrganisationApp("5"), RecordName("12")).status().code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(VolunteerRecordsTest, OtherMunicipalityIsDenied) {
  AddVolunteer("11", "Senait Tesfay");
  const auto aalborg =
      MakePrincipal("coordinator-1", auth::Role::kCoordinator, "aalborg");
  EXPECT_EQ(records().Get(aalborg, RecordName("11")).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(records()
                .ExportCertificate(aalborg, RecordName("11"), "", "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

// ---- The certificate ----

TEST_F(VolunteerRecordsTest, PlainCertificateForTheVolunteer) {
  AddVolunteer("11", "Senait Tesfay");
  Serve("11", {"17", v1::MATCH_KIND_RECEPTION_BUDDY, DanishNoon(2026, 3, 3),
               DanishNoon(2026, 9, 2)});
  Serve("11",
        {"18", v1::MATCH_KIND_MENTOR, DanishNoon(2026, 10, 1), std::nullopt});

  const auto certificate =
      records().ExportCertificate(Volunteer("11"), RecordName("11"),
                                  "text/plain", "", DanishNoon(2026, 11, 24));
  ASSERT_TRUE(certificate.ok()) << certificate.status();
  EXPECT_EQ(certificate->content_type(), "text/plain; charset=utf-8");
  const std::string& text = certificate->content();
  EXPECT_THAT(text, HasSubstr("Proof of volunteer work"));
  EXPECT_THAT(text, HasSubstr("Senait Tesfay"));
  EXPECT_THAT(text, HasSubstr("3 March 2026 – 2 September 2026: reception "
                              "buddy"));
  EXPECT_THAT(text, HasSubstr("since 1 October 2026: mentor"));
  // 3 March – 2 September is 184 days, 1 October – 24 November 55.
  EXPECT_THAT(text, HasSubstr("239 days"));
  EXPECT_THAT(text, HasSubstr("Issued by Kolding Municipality on 24 November "
                              "2026"));
  EXPECT_THAT(text, Not(HasSubstr("matches/")));
  EXPECT_THAT(text, Not(HasSubstr(Actor("900"))));

  // Another volunteer cannot print it.
  AddVolunteer("12", "Jonas Holm");
  EXPECT_EQ(records()
                .ExportCertificate(Volunteer("12"), RecordName("11"), "", "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(VolunteerRecordsTest, HtmlCertificateEscapesNameAndIssuer) {
  AddVolunteer("11", "<b>Ærø</b>", /*organisation_id=*/"5");
  Serve("11", {"1", v1::MATCH_KIND_LOCAL_WELCOME_CONTACT,
               DanishNoon(2026, 3, 3), DanishNoon(2026, 3, 4)});

  const auto certificate = records().ExportCertificate(
      OrganisationApp("5"), RecordName("11"), "text/html",
      "Ærø & Co, Red Cross Kolding", DanishNoon(2026, 11, 24));
  ASSERT_TRUE(certificate.ok()) << certificate.status();
  EXPECT_EQ(certificate->content_type(), "text/html; charset=utf-8");
  const std::string& html = certificate->content();
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;Ærø&lt;/b&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html, HasSubstr("Ærø &amp; Co, Red Cross Kolding"));
  EXPECT_THAT(html, HasSubstr("local welcome contact"));
  EXPECT_THAT(html, HasSubstr("2 days"));
}

TEST_F(VolunteerRecordsTest, CertificateRejectsBadFormatAndLongIssuer) {
  AddVolunteer("11", "Senait Tesfay");
  Serve("11",
        {"1", v1::MATCH_KIND_MENTOR, DanishNoon(2026, 3, 3), std::nullopt});

  const auto pdf = records().ExportCertificate(Coordinator(), RecordName("11"),
                                               "application/pdf", "");
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(pdf.status()).size(), 1u) << pdf.status();
  EXPECT_EQ(FieldViolationsOf(pdf.status())[0].field, "format");

  // 200 characters (not bytes) are fine, 201 are not.
  std::string issuer;
  for (int i = 0; i < 200; ++i) issuer += "ø";
  EXPECT_TRUE(
      records()
          .ExportCertificate(Coordinator(), RecordName("11"), "", issuer)
          .ok());
  issuer += "x";
  const auto too_long =
      records().ExportCertificate(Coordinator(), RecordName("11"), "", issuer);
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(too_long.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(too_long.status())[0].field, "issuer");

  // A line break would forge a line of the plain-text certificate.
  EXPECT_EQ(records()
                .ExportCertificate(Coordinator(), RecordName("11"), "",
                                   "Kolding\nSigned: the Mayor")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(VolunteerRecordsTest, NoCertificateWithoutService) {
  AddVolunteer("11", "Senait Tesfay");
  const auto certificate =
      records().ExportCertificate(Coordinator(), RecordName("11"), "", "");
  EXPECT_EQ(certificate.status().code(), absl::StatusCode::kFailedPrecondition)
      << certificate.status();
}

}  // namespace
}  // namespace brobygger::matching
