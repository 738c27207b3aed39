// The Open Referral HSDS 3.0 conversion: Brobygger -> HSDS -> Brobygger
// gives back the same activities; the HSDS side carries what other
// directories read (required fields, enums, native schedules that expand to
// the same occurrences); third-party documents import with defaults; bad
// documents are refused naming the JSON path.
#include "services/catalogue/hsds.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/catalogue/local_time_text.h"
#include "tests/catalogue/schedule_test_util.h"

namespace brobygger::catalogue {
namespace {

using ::brobygger::catalogue::testing::Expand;
using ::brobygger::catalogue::testing::LocalStarts;
using ::brobygger::catalogue::testing::MakeSchedule;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Activity ActivityFromText(const std::string& text) {
  v1::Activity activity;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &activity))
      << text;
  return activity;
}

// Activities covering every field and schedule shape the conversion must
// carry: weekly with exception dates, monthly "2TU" with a cancellation,
// daily every third day lasting over a day, a one-off with children's
// ages, daily, fortnightly weekends with WKST in summer time.
std::vector<v1::Activity> RichActivities() {
  std::vector<v1::Activity> activities;
  activities.push_back(ActivityFromText(R"pb(
    name: "municipalities/aalborg/activities/1"
    kind: ACTIVITY_KIND_CIVIL_OFFER
    display_name: "Sprogcafé på biblioteket"
    description: "Snak dansk over en kop kaffe.\nAlle niveauer."
    organiser: "municipalities/aalborg/actors/7"
    organiser_display_name: "Røde Kors Aalborg"
    co_organisers: "municipalities/aalborg/actors/9"
    category: CATEGORY_LANGUAGE_CAFE
    languages: [ "da", "ar", "uk" ]
    place {
      address: "Tove Ditlevsens Vej 2, 9000 Aalborg"
      area: "Aalborg C"
      coordinates { latitude: 57.0488 longitude: 9.9217 }
      venue: "Hovedbiblioteket"
    }
    schedule {
      start_time: "2026-12-01T17:00:00"
      duration { seconds: 7200 }
      rrule: "FREQ=WEEKLY;BYDAY=TU,TH"
      exception_dates: [ "2026-12-24", "2026-12-31" ]
      time_zone: "Europe/Copenhagen"
    }
    capacity {
      max_participants: 25
      signup_required: true
      signup_instructions: "Ring til Mette på 12 34 56 78"
    }
    price { kind: KIND_FREE }
    contact {
      name: "Mette, frivilligkoordinator"
      phone: "+45 12 34 56 78"
      email: "mette@example.dk"
      url: "https://example.dk/sprogcafe"
    }
    accessibility_notes: "Trinfri adgang; teleslynge"
    state: ACTIVITY_STATE_PUBLISHED
    etag: "e1"
    create_time { seconds: 1790000000 }
  )pb"));
  activities.push_back(ActivityFromText(R"pb(
    name: "municipalities/aalborg/activities/2"
    kind: ACTIVITY_KIND_CIVIL_OFFER
    display_name: "Fællesspisning i Kærby"
    organiser: "municipalities/aalborg/actors/8"
    organiser_display_name: "Kærby Beboerhus"
    category: CATEGORY_COMMUNAL_DINING
    target_groups { kind: KIND_FAMILIES }
    target_groups { kind: KIND_EVERYONE }
    place { address: "Kærvej 5, 9000 Aalborg" area: "Kærby" }
    schedule {
      start_time: "2026-12-08T18:00:00"
      duration { seconds: 9000 }
      rrule: "FREQ=MONTHLY;COUNT=10;BYDAY=2TU"
      time_zone: "Europe/Copenhagen"
    }
    price {
      kind: KIND_LOW_COST
      amount_ore: 2050
      note: "per dinner, children free"
    }
    contact { phone: "98 76 54 32" }
    state: ACTIVITY_STATE_PAUSED
    cancelled_occurrences {
      start_time: "2027-01-12T18:00:00"
      reason: "Køkkenet renoveres; vi ses i februar"
      cancel_time { seconds: 1795000000 }
    }
  )pb"));
  activities.push_back(ActivityFromText(R"pb(
    name: "municipalities/aalborg/activities/3"
    kind: ACTIVITY_KIND_MUNICIPAL_TASK
    display_name: "Modtagelse på jobcentret"
    organiser: "municipalities/aalborg/actors/1"
    organiser_display_name: "Jobcenter Aalborg"
    category: CATEGORY_EMPLOYMENT_AND_INTERNSHIPS
    place { address: "Kayerødsgade 23" area: "Aalborg Øst" }
    schedule {
      start_time: "2026-11-02T08:00:00"
      duration { seconds: 93600 }
      rrule: "FREQ=DAILY;INTERVAL=3;UNTIL=20270630T215959Z"
      time_zone: "Europe/Copenhagen"
    }
    price { kind: KIND_PAID amount_ore: 12550 }
    external_id: "legacy-directory-17"
    state: ACTIVITY_STATE_DRAFT
  )pb"));
  activities.push_back(ActivityFromText(R"pb(
    name: "municipalities/aalborg/activities/4"
    kind: ACTIVITY_KIND_CIVIL_OFFER
    display_name: "Juleklip for børn"
    organiser: "municipalities/aalborg/actors/7"
    organiser_display_name: "Røde Kors Aalborg"
    category: CATEGORY_CHILDREN_AND_YOUTH
    target_groups { kind: KIND_CHILDREN min_age: 6 max_age: 12 }
    target_groups { kind: KIND_CHILDREN min_age: 3 max_age: 5 }
    languages: "da"
    place {
      address: "Søndergade 1"
      area: "St. Restrup"
      venue: "Forsamlingshuset"
    }
    schedule {
      start_time: "2026-12-05T10:00"
      duration { seconds: 10800 }
      time_zone: "Europe/Copenhagen"
    }
    price { kind: KIND_FREE note: "Gratis for alle" }
    capacity { signup_required: false }
    state: ACTIVITY_STATE_ENDED
  )pb"));
  activities.push_back(ActivityFromText(R"pb(
    name: "municipalities/aalborg/activities/5"
    kind: ACTIVITY_KIND_CIVIL_OFFER
    display_name: "Morgenløb"
    organiser: "municipalities/aalborg/actors/8"
    organiser_display_name: "Kærby Beboerhus"
    category: CATEGORY_SPORT_AND_LEISURE
    target_groups { kind: KIND_WOMEN }
    place { address: "Parkvej 3, 9400 Nørresundby" area: "Nørresundby" }
    schedule {
      start_time: "2027-03-22T07:00:00"
      duration { seconds: 2700 }
      rrule: "FREQ=DAILY;COUNT=14"
      time_zone: "Europe/Copenhagen"
    }
    price { kind: KIND_FREE }
    state: ACTIVITY_STATE_PUBLISHED
  )pb"));
  activities.push_back(ActivityFromText(R"pb(
    name: "municipalities/aalborg/activities/6"
    kind: ACTIVITY_KIND_CIVIL_OFFER
    display_name: "Weekendværksted"
    organiser: "municipalities/aalborg/actors/9"
    organiser_display_name: "Frivilligcenter Aalborg"
    category: CATEGORY_MEETING_PLACE
    place { address: "Danmarksgade 50, 9000 Aalborg" area: "Aalborg C" }
    schedule {
      start_time: "2027-06-05T09:30:15"
      duration { seconds: 5400 nanos: 500000000 }
      rrule: "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270930T215959Z;BYDAY=SA,SU;WKST=SU"
      time_zone: "Europe/Copenhagen"
    }
    price { kind: KIND_PAID amount_ore: 4000 note: "materialer" }
    state: ACTIVITY_STATE_PUBLISHED
  )pb"));
  return activities;
}

HsdsExportInput RichInput() {
  HsdsExportInput input;
  input.activities = RichActivities();
  input.organiser_names = {
      {"municipalities/aalborg/actors/1", "Jobcenter Aalborg"},
      {"municipalities/aalborg/actors/7", "Røde Kors Aalborg"},
      {"municipalities/aalborg/actors/8", "Kærby Beboerhus"},
      {"municipalities/aalborg/actors/9", "Frivilligcenter Aalborg"}};
  return input;
}

std::string ExportedServiceId(const v1::Activity& activity) {
  return activity.external_id().empty() ? NameBasedUuid(activity.name())
                                        : activity.external_id();
}

// What an import must give back: everything but the fields the caller
// owns (name, organiser, co-organisers, etag, times).
void ExpectSameActivity(const v1::Activity& expected,
                        const v1::Activity& actual) {
  google::protobuf::util::MessageDifferencer differencer;
  const auto* activity = v1::Activity::descriptor();
  for (const char* field : {"name", "organiser", "co_organisers", "etag",
                            "create_time", "update_time"}) {
    differencer.IgnoreField(activity->FindFieldByName(field));
  }
  differencer.IgnoreField(
      v1::CancelledOccurrence::descriptor()->FindFieldByName("cancel_time"));
  std::string differences;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(expected, actual))
      << expected.display_name() << ":\n"
      << differences;
}

std::string FirstViolationField(const absl::Status& status) {
  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  return violations.empty() ? "" : violations.front().field;
}

TEST(HsdsNameBasedUuidTest, MatchesRfc4122Version5) {
  // The DNS namespace of RFC 4122 appendix C; the value is Python's
  // uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
  EXPECT_EQ(NameBasedUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  // Brobygger's namespace, the same computation in Python.
  EXPECT_EQ(NameBasedUuid("municipalities/aalborg/actors/7"),
            "e9bd2e64-0416-5ee5-b43d-78e4d0a8aeb9");
  EXPECT_NE(NameBasedUuid("a"), NameBasedUuid("b"));
}

TEST(HsdsRoundTripTest, GivesBackTheSameActivities) {
  const HsdsExportInput input = RichInput();
  const absl::StatusOr<std::vector<ImportedService>> imported =
      ParseHsdsJson(ExportHsdsJson(input));
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->size(), input.activities.size());

  // The document is sorted by service id; match by it.
  std::map<std::string, const ImportedService*> by_id;
  for (const ImportedService& service : *imported) {
    by_id[service.external_id] = &service;
  }
  for (const v1::Activity& original : input.activities) {
    const std::string service_id = ExportedServiceId(original);
    ASSERT_TRUE(by_id.contains(service_id)) << original.name();
    const ImportedService& service = *by_id[service_id];
    v1::Activity expected = original;
    expected.set_external_id(service_id);
    ExpectSameActivity(expected, service.activity);
    EXPECT_EQ(service.activity.external_id(), service_id);
    EXPECT_EQ(service.organisation.actor, original.organiser());
    EXPECT_EQ(service.organisation.hsds_id,
              NameBasedUuid(original.organiser()));
    EXPECT_EQ(service.organisation.name,
              input.organiser_names.at(original.organiser()));
  }
}

TEST(HsdsExportTest, IsDeterministicWhateverTheInputOrder) {
  const HsdsExportInput input = RichInput();
  const std::string first = ExportHsdsJson(input);
  EXPECT_EQ(ExportHsdsJson(input), first);
  HsdsExportInput reversed = input;
  std::reverse(reversed.activities.begin(), reversed.activities.end());
  EXPECT_EQ(ExportHsdsJson(reversed), first);

  const json document = json::parse(first);
  for (const char* table :
       {"organizations", "services", "locations", "service_at_locations"}) {
    std::vector<std::string> ids;
    for (const json& record : document[table]) {
      ids.push_back(record["id"].get<std::string>());
    }
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << table;
  }
  // Two activities share an organiser: one organization each.
  EXPECT_EQ(document["organizations"].size(), 4u);
  EXPECT_EQ(document["services"].size(), 6u);
}

// Fails the test unless `record` has every field in `required`.
void ExpectFields(const json& record, const std::vector<std::string>& required,
                  const std::string& what) {
  for (const std::string& field : required) {
    EXPECT_TRUE(record.contains(field) && !record[field].is_null())
        << what << " lacks " << field << ": " << record.dump();
  }
}

bool IsUuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (text[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

// The required lists and enums of HSDS 3.0's schemas (schema/*.json of
// openreferral/specification).
TEST(HsdsExportTest, HasTheFieldsAndValuesHsdsRequires) {
  const json document = json::parse(ExportHsdsJson(RichInput()));
  const std::set<std::string> statuses = {"active", "inactive", "defunct",
                                          "temporarily closed"};
  const std::set<std::string> days = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  for (const json& organization : document["organizations"]) {
    ExpectFields(organization, {"id", "name", "description"}, "organization");
    EXPECT_TRUE(IsUuid(organization["id"].get<std::string>()));
    for (const json& identifier : organization["organization_identifiers"]) {
      ExpectFields(identifier, {"id", "identifier_type", "identifier"},
                   "organization_identifier");
    }
  }
  for (const json& location : document["locations"]) {
    ExpectFields(location, {"id", "location_type"}, "location");
    EXPECT_EQ(location["location_type"], "physical");
    for (const json& address : location["addresses"]) {
      ExpectFields(address,
                   {"id", "address_1", "city", "state_province", "postal_code",
                    "country", "address_type"},
                   "address");
      EXPECT_EQ(address["country"], "DK");
    }
    for (const json& accessibility :
         location.value("accessibility", json::array())) {
      ExpectFields(accessibility, {"id"}, "accessibility");
    }
  }
  for (const json& link : document["service_at_locations"]) {
    ExpectFields(link, {"id", "service_id", "location_id"},
                 "service_at_location");
  }
  for (const json& service : document["services"]) {
    ExpectFields(service, {"id", "name", "status", "organization_id"},
                 "service");
    EXPECT_TRUE(statuses.contains(service["status"].get<std::string>()))
        << service["status"];
    for (const char* array : {"languages", "contacts", "cost_options"}) {
      for (const json& record : service[array]) {
        ExpectFields(record, {"id"}, array);
        EXPECT_TRUE(IsUuid(record["id"].get<std::string>()));
      }
    }
    for (const json& contact : service["contacts"]) {
      for (const json& phone : contact["phones"]) {
        ExpectFields(phone, {"id", "number"}, "phone");
      }
    }
    ASSERT_EQ(service["schedules"].size(), 1u);
    const json& schedule = service["schedules"][0];
    ExpectFields(schedule,
                 {"id", "dtstart", "opens_at", "closes_at", "timezone"},
                 "schedule");
    if (schedule.contains("freq")) {
      EXPECT_TRUE(schedule["freq"] == "WEEKLY" ||
                  schedule["freq"] == "MONTHLY");
    }
    if (schedule.contains("wkst")) {
      EXPECT_TRUE(days.contains(schedule["wkst"].get<std::string>()));
    }
    EXPECT_TRUE(schedule["timezone"].is_number());
    std::vector<json> attributes = service["attributes"];
    for (const json& attribute : schedule["attributes"]) {
      attributes.push_back(attribute);
    }
    for (const json& attribute : attributes) {
      ExpectFields(attribute, {"id", "link_type", "taxonomy_term"},
                   "attribute");
      const json& term = attribute["taxonomy_term"];
      ExpectFields(term, {"id", "name", "description", "code", "taxonomy"},
                   "taxonomy_term");
      ExpectFields(term["taxonomy_detail"], {"id", "name", "description"},
                   "taxonomy");
    }
  }
}

// Finds the exported service of an activity.
const json& ServiceOf(const json& document, const v1::Activity& activity) {
  for (const json& service : document["services"]) {
    if (service["id"] == ExportedServiceId(activity)) return service;
  }
  ADD_FAILURE() << "no service for " << activity.name();
  static const json kNone;
  return kNone;
}

TEST(HsdsExportTest, WritesServiceValuesNatively) {
  const std::vector<v1::Activity> activities = RichActivities();
  const json document = json::parse(ExportHsdsJson(RichInput()));

  const json& cafe = ServiceOf(document, activities[0]);
  EXPECT_EQ(cafe["name"], "Sprogcafé på biblioteket");
  EXPECT_EQ(cafe["status"], "active");
  EXPECT_EQ(cafe["url"], "https://example.dk/sprogcafe");
  EXPECT_EQ(cafe["email"], "mette@example.dk");
  EXPECT_EQ(cafe["application_process"], "Ring til Mette på 12 34 56 78");
  EXPECT_EQ(cafe["languages"][1]["code"], "ar");
  EXPECT_EQ(cafe["contacts"][0]["phones"][0]["number"], "+45 12 34 56 78");
  EXPECT_EQ(cafe["attributes"][0]["taxonomy_term"]["taxonomy"],
            "brobygger-category");
  EXPECT_EQ(cafe["attributes"][0]["taxonomy_term"]["code"], "language_cafe");
  const json& weekly = cafe["schedules"][0];
  EXPECT_EQ(weekly["dtstart"], "2026-12-01");
  EXPECT_EQ(weekly["opens_at"], "17:00");
  EXPECT_EQ(weekly["closes_at"], "19:00");
  EXPECT_EQ(weekly["timezone"], 1);  // CET in December.
  EXPECT_EQ(weekly["freq"], "WEEKLY");
  EXPECT_EQ(weekly["byday"], "TU,TH");
  EXPECT_THAT(weekly["notes"].get<std::string>(), HasSubstr("2026-12-24"));

  const json& dinner = ServiceOf(document, activities[1]);
  EXPECT_EQ(dinner["status"], "temporarily closed");
  EXPECT_EQ(dinner["cost_options"][0]["amount"], 20.5);
  EXPECT_EQ(dinner["cost_options"][0]["currency"], "DKK");
  EXPECT_EQ(dinner["cost_options"][0]["amount_description"],
            "per dinner, children free");
  EXPECT_EQ(dinner["schedules"][0]["freq"], "MONTHLY");
  EXPECT_EQ(dinner["schedules"][0]["byday"], "2TU");
  EXPECT_EQ(dinner["schedules"][0]["count"], 10);

  // Every third day has no HSDS 3.0 frequency; the rule is in words.
  const json& task = ServiceOf(document, activities[2]);
  EXPECT_EQ(task["status"], "inactive");
  EXPECT_FALSE(task["schedules"][0].contains("freq"));
  EXPECT_THAT(task["schedules"][0]["description"].get<std::string>(),
              HasSubstr("FREQ=DAILY;INTERVAL=3"));

  const json& children = ServiceOf(document, activities[3]);
  EXPECT_EQ(children["status"], "defunct");
  EXPECT_EQ(children["minimum_age"], 3);
  EXPECT_EQ(children["maximum_age"], 12);
  EXPECT_EQ(children["schedules"][0]["freq"], "WEEKLY");
  EXPECT_EQ(children["schedules"][0]["count"], 1);  // A one-off.

  // DAILY is not in HSDS 3.0's enum: every day is weekly on all days.
  const json& daily = ServiceOf(document, activities[4]);
  EXPECT_EQ(daily["schedules"][0]["freq"], "WEEKLY");
  EXPECT_EQ(daily["schedules"][0]["byday"], "MO,TU,WE,TH,FR,SA,SU");
  EXPECT_FALSE(daily.contains("minimum_age"));

  const json& summer = ServiceOf(document, activities[5])["schedules"][0];
  EXPECT_EQ(summer["timezone"], 2);  // CEST in June.
  EXPECT_EQ(summer["opens_at"], "09:30:15");
  EXPECT_EQ(summer["wkst"], "SU");
  EXPECT_EQ(summer["until"], "2027-09-30");
  EXPECT_EQ(summer["interval"], 2);

  const json& location = document["locations"][0];
  EXPECT_EQ(location["addresses"][0]["country"], "DK");
  for (const json& place : document["locations"]) {
    if (place.contains("latitude")) {
      EXPECT_EQ(place["latitude"], 57.0488);
      EXPECT_EQ(place["addresses"][0]["postal_code"], "9000");
      EXPECT_EQ(place["addresses"][0]["city"], "Aalborg C");
      EXPECT_EQ(place["accessibility"][0]["description"],
                "Trinfri adgang; teleslynge");
    }
  }
}

// Removes the exact Brobygger schedule values, leaving what any HSDS
// reader sees.
std::string WithoutScheduleAttributes(const std::string& exported) {
  json document = json::parse(exported);
  for (json& service : document["services"]) {
    for (json& schedule : service["schedules"]) schedule.erase("attributes");
  }
  return document.dump();
}

Schedule EngineSchedule(const v1::Schedule& proto) {
  const absl::StatusOr<absl::CivilSecond> start =
      ParseLocalDateTime(proto.start_time(), "start");
  EXPECT_TRUE(start.ok()) << start.status();
  return MakeSchedule(start.value_or(absl::CivilSecond()),
                      absl::Seconds(proto.duration().seconds()), proto.rrule());
}

// The native fields alone describe the same occurrences wherever HSDS 3.0
// can express the schedule (not every third day, not exception dates).
TEST(HsdsExportTest, NativeScheduleFieldsGiveTheSameOccurrences) {
  HsdsExportInput input = RichInput();
  std::map<std::string, v1::Activity> originals;
  for (v1::Activity& activity : input.activities) {
    activity.mutable_schedule()->clear_exception_dates();
    if (absl::StrContains(activity.schedule().rrule(), "INTERVAL=3")) {
      activity.mutable_schedule()->set_rrule("FREQ=DAILY;INTERVAL=14;COUNT=20");
    }
    // Over a day is not expressible in opens_at/closes_at.
    activity.mutable_schedule()->mutable_duration()->set_nanos(0);
    if (activity.schedule().duration().seconds() > 86400) {
      activity.mutable_schedule()->mutable_duration()->set_seconds(3600);
    }
    originals[ExportedServiceId(activity)] = activity;
  }
  const absl::StatusOr<std::vector<ImportedService>> imported =
      ParseHsdsJson(WithoutScheduleAttributes(ExportHsdsJson(input)));
  ASSERT_TRUE(imported.ok()) << imported.status();
  for (const ImportedService& service : *imported) {
    const v1::Activity& original = originals[service.external_id];
    const Schedule expected = EngineSchedule(original.schedule());
    const Schedule actual = EngineSchedule(service.activity.schedule());
    const absl::Time from =
        absl::FromCivil(absl::CivilDay(expected.start), absl::UTCTimeZone());
    const absl::Time to = from + absl::Hours(24 * 399);
    EXPECT_EQ(LocalStarts(Expand(actual, from, to).occurrences),
              LocalStarts(Expand(expected, from, to).occurrences))
        << original.schedule().rrule() << " became "
        << service.activity.schedule().rrule();
    EXPECT_EQ(actual.duration, expected.duration) << original.name();
  }
}

// A document from another directory: tabular references, no Brobygger
// attributes, a schedule on the service and one on its service-at-location.
constexpr char kThirdParty[] = R"json({
  "organizations": [
    {"id": "org-1", "name": "Kærby Beboerforening",
     "description": "Beboerforeningen i Kærby", "website": "https://kaerby.dk",
     "organization_identifiers": [
       {"id": "oi-1", "identifier_scheme": "DK-CVR",
        "identifier_type": "CVR", "identifier": "12345678"}]}
  ],
  "services": [
    {"id": "svc-1", "organization_id": "org-1", "name": "Lektiecafé",
     "status": "active", "description": "Hjælp til lektier.",
     "eligibility_description": "Skoleelever",
     "languages": [{"id": "l-1", "code": "da"}, {"id": "l-2", "code": "ar"}],
     "schedules": [
       {"id": "s-1", "freq": "WEEKLY", "byday": "WE", "interval": 1,
        "dtstart": "2026-09-02", "opens_at": "15:00", "closes_at": "17:00",
        "timezone": 2, "valid_from": null}]},
    {"id": "svc-2", "organization_id": "org-1", "name": "Svømning",
     "status": "temporarily closed", "minimum_age": 6, "maximum_age": 12,
     "cost_options": [{"id": "c-1", "amount": 35, "currency": "dkk",
                       "amount_description": "pr. gang"}],
     "contacts": [{"id": "k-1", "name": "Ali",
                   "phones": [{"id": "p-1", "number": "11 22 33 44"}]}],
     "service_at_locations": [
       {"id": "sal-2", "location_id": "loc-1",
        "schedules": [
          {"id": "s-2", "freq": "MONTHLY", "byday": "-1FR",
           "dtstart": "2026-11-27", "opens_at": "16:00Z",
           "closes_at": "17:30Z", "count": "6"}]}]}
  ],
  "locations": [
    {"id": "loc-1", "location_type": "physical", "name": "Kærby Fritidscenter",
     "latitude": 57.03, "longitude": 9.95,
     "addresses": [
       {"id": "a-1", "address_1": "Kærvej 5", "city": "Aalborg",
        "state_province": "Nordjylland", "postal_code": "9000",
        "country": "DK", "address_type": "physical"}]}
  ],
  "service_at_locations": [
    {"id": "sal-1", "service_id": "svc-1", "location_id": "loc-1"}
  ]
})json";

TEST(HsdsImportTest, ThirdPartyDocumentGetsDefaults) {
  const absl::StatusOr<std::vector<ImportedService>> imported =
      ParseHsdsJson(kThirdParty);
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->size(), 2u);

  const ImportedService& homework = (*imported)[0];
  EXPECT_EQ(homework.external_id, "svc-1");
  EXPECT_EQ(homework.organisation.hsds_id, "org-1");
  EXPECT_EQ(homework.organisation.actor, "");
  EXPECT_EQ(homework.organisation.name, "Kærby Beboerforening");
  EXPECT_EQ(homework.organisation.website, "https://kaerby.dk");
  const v1::Activity expected = ActivityFromText(R"pb(
    kind: ACTIVITY_KIND_CIVIL_OFFER
    display_name: "Lektiecafé"
    description: "Hjælp til lektier.\n\nEligibility: Skoleelever"
    organiser_display_name: "Kærby Beboerforening"
    category: CATEGORY_OTHER
    languages: [ "da", "ar" ]
    place {
      address: "Kærvej 5, 9000 Aalborg"
      area: "Aalborg"
      coordinates { latitude: 57.03 longitude: 9.95 }
      venue: "Kærby Fritidscenter"
    }
    schedule {
      start_time: "2026-09-02T15:00:00"
      duration { seconds: 7200 }
      rrule: "FREQ=WEEKLY;BYDAY=WE"
      time_zone: "Europe/Copenhagen"
    }
    price { kind: KIND_FREE }
    state: ACTIVITY_STATE_PUBLISHED
    external_id: "svc-1"
  )pb");
  ExpectSameActivity(expected, homework.activity);

  const v1::Activity& swimming = (*imported)[1].activity;
  EXPECT_EQ(swimming.state(), v1::ACTIVITY_STATE_PAUSED);
  EXPECT_EQ(swimming.price().kind(), v1::Price::KIND_PAID);
  EXPECT_EQ(swimming.price().amount_ore(), 3500);
  EXPECT_EQ(swimming.price().note(), "pr. gang");
  ASSERT_EQ(swimming.target_groups_size(), 1);
  EXPECT_EQ(swimming.target_groups(0).kind(), v1::TargetGroup::KIND_CHILDREN);
  EXPECT_EQ(swimming.target_groups(0).min_age(), 6);
  EXPECT_EQ(swimming.target_groups(0).max_age(), 12);
  EXPECT_EQ(swimming.contact().name(), "Ali");
  EXPECT_EQ(swimming.contact().phone(), "11 22 33 44");
  // 16:00 UTC on a November Friday is 17:00 in Copenhagen.
  EXPECT_EQ(swimming.schedule().start_time(), "2026-11-27T17:00:00");
  EXPECT_EQ(swimming.schedule().duration().seconds(), 5400);
  EXPECT_EQ(swimming.schedule().rrule(), "FREQ=MONTHLY;COUNT=6;BYDAY=-1FR");
}

// kThirdParty with `edit` applied.
std::string EditedThirdParty(const std::function<void(json&)>& edit) {
  json document = json::parse(kThirdParty);
  edit(document);
  return document.dump();
}

void ExpectRefused(const std::string& document, const std::string& field,
                   const std::string& message_part = "") {
  const absl::StatusOr<std::vector<ImportedService>> imported =
      ParseHsdsJson(document);
  ASSERT_FALSE(imported.ok()) << "accepted; expected an error at " << field;
  EXPECT_EQ(imported.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FirstViolationField(imported.status()), field) << imported.status();
  EXPECT_THAT(std::string(imported.status().message()),
              HasSubstr(message_part));
}

TEST(HsdsImportTest, RefusesMalformedJson) {
  ExpectRefused(R"({"services": [)", "json", "not valid JSON");
  ExpectRefused("[]", "json", "must be an object");
  ExpectRefused(std::string(100, '[') + std::string(100, ']'), "json",
                "nested deeper");
}

TEST(HsdsImportTest, RefusesMissingRequiredFields) {
  ExpectRefused(
      EditedThirdParty([](json& d) { d["services"][0].erase("name"); }),
      "json.services[0].name", "required");
  ExpectRefused(
      EditedThirdParty([](json& d) { d["services"][1]["status"] = "open"; }),
      "json.services[1].status", "not an HSDS status");
  ExpectRefused(EditedThirdParty([](json& d) {
                  d["services"][0]["schedules"][0].erase("dtstart");
                }),
                "json.services[0].schedules[0].dtstart", "required");
}

TEST(HsdsImportTest, RefusesUnknownReferences) {
  ExpectRefused(EditedThirdParty([](json& d) {
                  d["services"][1]["organization_id"] = "org-404";
                }),
                "json.services[1].organization_id", "org-404");
  ExpectRefused(EditedThirdParty([](json& d) {
                  d["service_at_locations"][0]["location_id"] = "loc-404";
                }),
                "json.service_at_locations[0].location_id", "loc-404");
  ExpectRefused(EditedThirdParty([](json& d) {
                  d["service_at_locations"][0]["service_id"] = "svc-404";
                }),
                "json.service_at_locations[0].service_id", "svc-404");
}

TEST(HsdsImportTest, RefusesFrequenciesOutsideTheHsdsEnum) {
  for (const char* freq : {"YEARLY", "DAILY", "weekly"}) {
    ExpectRefused(EditedThirdParty([&](json& d) {
                    d["services"][0]["schedules"][0]["freq"] = freq;
                  }),
                  "json.services[0].schedules[0].freq", "WEEKLY or MONTHLY");
  }
  // The path names the service by its position.
  const std::string fourth = EditedThirdParty([](json& d) {
    for (int i = 2; i <= 3; ++i) {
      json copy = d["services"][0];
      copy["id"] = absl::StrCat("svc-copy-", i);
      d["services"].push_back(copy);
      d["service_at_locations"].push_back({{"id", absl::StrCat("sal-copy-", i)},
                                           {"service_id", copy["id"]},
                                           {"location_id", "loc-1"}});
    }
    d["services"][3]["schedules"][0]["freq"] = "YEARLY";
  });
  ExpectRefused(fourth, "json.services[3].schedules[0].freq");
}

TEST(HsdsImportTest, RefusesWhatBrobyggerCannotRepresent) {
  ExpectRefused(EditedThirdParty([](json& d) {
                  d["services"][0]["schedules"][0]["byweekno"] = "1,2";
                }),
                "json.services[0].schedules[0].byweekno", "not supported");
  ExpectRefused(EditedThirdParty([](json& d) {
                  d["services"][1]["cost_options"].push_back(
                      {{"id", "c-2"}, {"amount", 20}});
                }),
                "json.services[1].cost_options[1]", "one price");
  ExpectRefused(EditedThirdParty([](json& d) {
                  d["services"][1]["cost_options"][0]["currency"] = "EUR";
                }),
                "json.services[1].cost_options[0].currency", "DKK");
  ExpectRefused(
      EditedThirdParty([](json& d) { d["services"][1]["maximum_age"] = 65; }),
      "json.services[1].maximum_age", "children");
  ExpectRefused(EditedThirdParty([](json& d) {
                  d["locations"][0]["location_type"] = "virtual";
                }),
                "json.locations[0].location_type", "physical");
  ExpectRefused(EditedThirdParty([](json& d) {
                  d["services"][0]["fees_description"] = "50 kr.";
                }),
                "json.services[0].fees_description", "cost option");
  ExpectRefused(EditedThirdParty([](json& d) {
                  d["services"][0]["attributes"] =
                      json::array({{{"id", "x"},
                                    {"taxonomy_term",
                                     {{"id", "t"},
                                      {"code", "karaoke"},
                                      {"taxonomy", "brobygger-category"}}}}});
                }),
                "json.services[0].attributes[0].taxonomy_term.code",
                "language_cafe");
}

TEST(HsdsImportTest, EnforcesLimits) {
  json document = json::parse(kThirdParty);
  json& services = document["services"];
  while (services.size() <= static_cast<size_t>(kMaxHsdsServices)) {
    services.push_back(services[0]);
  }
  ExpectRefused(document.dump(), "json.services", "at most 1000");

  std::string huge = R"({"services": [], "padding": ")";
  huge.append(kMaxHsdsJsonBytes, 'x');
  huge += "\"}";
  ExpectRefused(huge, "json", "bytes");
}

TEST(HsdsImportTest, ReadsAnExactScheduleFromItsAttributes) {
  // A Brobygger schedule whose native fields another tool changed: the
  // exact values win.
  const std::string exported = ExportHsdsJson(RichInput());
  json document = json::parse(exported);
  for (json& service : document["services"]) {
    service["schedules"][0]["opens_at"] = "03:00";
  }
  const absl::StatusOr<std::vector<ImportedService>> imported =
      ParseHsdsJson(document.dump());
  ASSERT_TRUE(imported.ok()) << imported.status();
  for (const ImportedService& service : *imported) {
    EXPECT_THAT(service.activity.schedule().start_time(),
                ::testing::Not(HasSubstr("T03:00")));
  }
}

}  // namespace
}  // namespace brobygger::catalogue
