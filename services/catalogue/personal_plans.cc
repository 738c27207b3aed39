#include "services/catalogue/personal_plans.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "brobygger/catalogue/v1/events.pb.h"
#include "common/api/pagination.h"
#include "common/api/request_id.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/log/log.h"
#include "common/redis/redis_pool.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/resource_io.h"
#include "common/time/copenhagen_time.h"
#include "services/catalogue/icalendar.h"
#include "services/catalogue/schedule.h"
#include "services/catalogue/timeline_convert.h"

namespace brobygger::catalogue {
namespace {

constexpr char kResourceType[] = "brobygger.catalogue.v1.PersonalPlan";
constexpr char kActorPattern[] = "municipalities/{municipality}/actors/{actor}";
// EraseNewcomer reads a newcomer's plans in batches of this size, and
// gives up (UNAVAILABLE, to be redelivered) after this many batches: plans
// are bounded per newcomer, so more means creates racing the erasure.
constexpr int kEraseBatch = 100;
constexpr int kMaxEraseBatches = 10;

// Personal data of newcomers: caseworkers and coordinators of the
// municipality only. Operators run the platform and see no newcomer data;
// organisations and volunteers see only what matching grants them.
absl::Status RequirePlanAccess(const auth::Principal& principal,
                               absl::string_view municipality) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  if (principal.role != auth::Role::kCaseworker &&
      principal.role != auth::Role::kCoordinator) {
    return PermissionDeniedError(
        "ROLE",
        "personal plans are newcomers' personal data, used by the "
        "municipality's caseworkers and coordinators only");
  }
  // Keys embed the municipality.
  if (!api::IsValidMunicipalityId(municipality)) {
    return InvalidFieldError("municipality",
                             "is not a municipality id such as \"aalborg\"");
  }
  return absl::OkStatus();
}

// The actor id of a newcomer name of `municipality`, or a violation of
// `field`.
absl::StatusOr<std::string> NewcomerId(absl::string_view newcomer,
                                       absl::string_view municipality,
                                       absl::string_view field) {
  const std::string example =
      absl::StrCat("\"municipalities/", municipality, "/actors/12\"");
  auto parts = api::ParseResourceName(newcomer, kActorPattern, field);
  if (!parts.ok() || (*parts)[0] != municipality ||
      !api::IsValidNumericId((*parts)[1])) {
    return InvalidFieldError(
        field, absl::StrCat("must name a newcomer of this municipality as "
                            "the registry does, e.g. ",
                            example));
  }
  return (*parts)[1];
}

// One line per read of one plan: who read whose plan, how.
void AuditRead(const auth::Principal& principal, absl::string_view municipality,
               const v1::PersonalPlan& plan, absl::string_view method) {
  log::Info("personal data read", {{"audit", true},
                                   {"subject", principal.subject},
                                   {"role", auth::RoleName(principal.role)},
                                   {"municipality", municipality},
                                   {"method", method},
                                   {"resource", plan.name()},
                                   {"data_subject", plan.newcomer()}});
}

std::string WeekWords(int week_offset) {
  if (week_offset == 0) return "Week 0: the arrival week.";
  if (week_offset < 0) {
    return absl::StrCat("Week ", week_offset, ": ", -week_offset,
                        week_offset == -1 ? " week" : " weeks",
                        " before arrival.");
  }
  return absl::StrCat("Week ", week_offset, ": ", week_offset,
                      week_offset == 1 ? " week" : " weeks", " after arrival.");
}

std::string ItemDescription(const v1::PlannedItem& item) {
  std::string text = absl::StrCat("Responsible: ", item.owner(), "\n",
                                  WeekWords(item.week_offset()));
  if (item.municipal_task()) absl::StrAppend(&text, "\nA municipal task.");
  if (!item.activity().empty()) {
    absl::StrAppend(&text, "\nCatalogue activity: ", item.activity());
  }
  return text;
}

}  // namespace

std::string PersonalPlanName(absl::string_view municipality,
                             absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/personalPlans/", id);
}

std::string PersonalPlans::EventTrail(absl::string_view municipality,
                                      absl::string_view newcomer_id) const {
  return ctx_.keys.space().Key(municipality,
                               {kPersonalPlanCollection, "trail", newcomer_id});
}

absl::StatusOr<PersonalPlans::Loaded> PersonalPlans::Load(
    absl::string_view municipality, absl::string_view id) {
  const std::string name = PersonalPlanName(municipality, id);
  // Server-assigned ids are numeric; anything else names no plan (and must
  // not reach a key).
  if (!api::IsValidNumericId(id)) {
    return ResourceNotFoundError(kResourceType, name);
  }
  ASSIGN_OR_RETURN(auto loaded,
                   store::LoadResource<v1::PersonalPlan>(
                       ctx_.store, municipality, kPersonalPlanCollection, id,
                       name, kResourceType, "personal plan"));
  loaded.resource.set_etag(store::EtagOf(loaded.version));
  return Loaded{std::move(loaded.resource), loaded.version};
}

absl::StatusOr<v1::PersonalPlan> PersonalPlans::Create(
    const auth::Principal& principal, absl::string_view municipality,
    v1::PersonalPlan plan, absl::string_view request_id) {
  RETURN_IF_ERROR(RequirePlanAccess(principal, municipality));
  RETURN_IF_ERROR(api::ValidateRequestId(request_id));
  plan.clear_name();
  plan.clear_items();
  plan.clear_etag();
  plan.clear_create_time();

  FieldViolations violations;
  std::string newcomer_id;
  if (plan.newcomer().empty()) {
    violations.Add("personal_plan.newcomer",
                   absl::StrCat("is required: the newcomer the plan is for, "
                                "e.g. \"municipalities/",
                                municipality, "/actors/12\""));
  } else {
    auto id =
        NewcomerId(plan.newcomer(), municipality, "personal_plan.newcomer");
    if (id.ok()) {
      newcomer_id = *id;
    } else {
      for (FieldViolation& v : FieldViolationsOf(id.status())) {
        violations.Add(std::move(v.field), std::move(v.description));
      }
    }
  }
  std::optional<absl::CivilDay> arrival;
  if (plan.arrival_date().empty()) {
    violations.Add("personal_plan.arrival_date",
                   "is required: the local date of arrival, e.g. "
                   "\"2027-01-04\"");
  } else {
    auto day =
        ParseLocalDate(plan.arrival_date(), "personal_plan.arrival_date");
    if (!day.ok()) {
      for (FieldViolation& v : FieldViolationsOf(day.status())) {
        violations.Add(std::move(v.field), std::move(v.description));
      }
    } else if (day->year() < kFirstYear || day->year() > kLastYear) {
      violations.Add("personal_plan.arrival_date",
                     absl::StrCat("must lie in the years ", kFirstYear, " to ",
                                  kLastYear));
    } else {
      arrival = *day;
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());

  std::string request_key;
  if (!request_id.empty()) {
    request_key =
        ctx_.keys.Request(municipality, kPersonalPlanCollection, request_id);
    ASSIGN_OR_RETURN(std::optional<std::string> previous,
                     ctx_.store.LookupRequest(request_key));
    if (previous.has_value()) return Get(principal, municipality, *previous);
  }

  ASSIGN_OR_RETURN(bool known, newcomer_known_(municipality, newcomer_id));
  if (!known) {
    return PreconditionError(
        "REFERENCE", plan.newcomer(),
        absl::StrCat("the registry does not know the newcomer ",
                     plan.newcomer(),
                     " (yet); register the newcomer in the registry first, "
                     "or retry in a moment if that just happened"));
  }
  const std::string newcomer_index = ctx_.keys.Index(
      municipality, kPersonalPlanCollection, "newcomer", newcomer_id);
  ASSIGN_OR_RETURN(int64_t existing, ctx_.store.IndexSize(newcomer_index));
  if (existing >= kMaxPlansPerNewcomer) {
    return PreconditionError(
        "LIMIT", plan.newcomer(),
        absl::StrCat(plan.newcomer(), " already has ", existing,
                     " personal plans (the limit); delete an outdated one "
                     "first"));
  }
  ASSIGN_OR_RETURN(v1::TimelineTemplate timeline,
                   templates_.Load(municipality));
  if (timeline.items().empty()) {
    return PreconditionError(
        "EMPTY_TEMPLATE", TimelineTemplateName(municipality),
        "the municipality's reception timeline has no items yet, so a plan "
        "would be empty; a coordinator or caseworker should fill in the "
        "timeline template first");
  }
  for (v1::PlannedItem& item : PlanItems(timeline, *arrival)) {
    *plan.add_items() = std::move(item);
  }

  const absl::Time now = absl::Now();
  ASSIGN_OR_RETURN(int64_t numeric_id,
                   ctx_.store.NextId(municipality, kPersonalPlanCollection));
  const std::string id = absl::StrCat(numeric_id);
  plan.set_name(PersonalPlanName(municipality, id));
  *plan.mutable_create_time() = store::ToTimestamp(now);

  store::WriteSpec spec;
  spec.municipality = std::string(municipality);
  spec.collection = kPersonalPlanCollection;
  spec.id = id;
  spec.data = plan.SerializeAsString();
  spec.request_key = request_key;
  const double score = static_cast<double>(numeric_id);
  spec.add_to_indexes.push_back(
      {ctx_.keys.AllIndex(municipality, kPersonalPlanCollection), score});
  spec.add_to_indexes.push_back({newcomer_index, score});
  v1::PersonalPlanCreated payload;
  payload.set_name(plan.name());
  payload.set_newcomer(plan.newcomer());
  spec.event = events::MakeEvent(EventContextFor(principal, request_id),
                                 municipality, plan.name(), payload, now);
  // The event links the newcomer to a plan: erasure takes it back.
  spec.event_trail = EventTrail(municipality, newcomer_id);

  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Create(spec));
  switch (result.outcome) {
    case store::WriteResult::Outcome::kOk:
      plan.set_etag(store::EtagOf(result.version));
      return plan;
    case store::WriteResult::Outcome::kRequestReplayed:
      return Get(principal, municipality, result.id);
    default:
      return store::StoreOutcomeToStatus(result, kResourceType, plan.name());
  }
}

absl::StatusOr<v1::PersonalPlan> PersonalPlans::Get(
    const auth::Principal& principal, absl::string_view municipality,
    absl::string_view id) {
  RETURN_IF_ERROR(RequirePlanAccess(principal, municipality));
  ASSIGN_OR_RETURN(Loaded loaded, Load(municipality, id));
  AuditRead(principal, municipality, loaded.plan, "GetPersonalPlan");
  return std::move(loaded.plan);
}

absl::StatusOr<PersonalPlanPage> PersonalPlans::List(
    const auth::Principal& principal, absl::string_view municipality,
    int page_size, absl::string_view page_token, absl::string_view newcomer) {
  RETURN_IF_ERROR(RequirePlanAccess(principal, municipality));
  ASSIGN_OR_RETURN(int size, api::ResolvePageSize(page_size));
  std::string index = ctx_.keys.AllIndex(municipality, kPersonalPlanCollection);
  if (!newcomer.empty()) {
    ASSIGN_OR_RETURN(std::string newcomer_id,
                     NewcomerId(newcomer, municipality, "newcomer"));
    index = ctx_.keys.Index(municipality, kPersonalPlanCollection, "newcomer",
                            newcomer_id);
  }
  // A token is valid only for the query that produced it.
  const std::string fingerprint =
      absl::StrCat("personalPlans\n", municipality, "\n", newcomer);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  if (!cursor.empty() && !api::IsValidNumericId(cursor)) {
    return InvalidFieldError("page_token", "is not a page token of this list");
  }

  // One id more than the page tells whether there is a next page.
  ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      ctx_.store.Scan(index, cursor.empty() ? 0 : store::IdScore(cursor),
                      size + 1));
  PersonalPlanPage page;
  if (static_cast<int>(ids.size()) > size) {
    ids.resize(size);
    page.next_page_token = api::EncodePageToken(ids.back(), fingerprint);
  }
  ASSIGN_OR_RETURN(
      std::vector<store::Document> documents,
      ctx_.store.GetMany(municipality, kPersonalPlanCollection, ids));
  page.plans.reserve(documents.size());
  for (const store::Document& document : documents) {
    v1::PersonalPlan plan;
    if (!plan.ParseFromString(document.data)) {
      return absl::DataLossError(absl::StrCat(
          "stored personal plan ", PersonalPlanName(municipality, document.id),
          " does not parse"));
    }
    plan.set_etag(store::EtagOf(document.version));
    page.plans.push_back(std::move(plan));
  }
  // Audited once the whole page is read, so a failed list logs nothing it
  // did not return.
  for (const v1::PersonalPlan& plan : page.plans) {
    AuditRead(principal, municipality, plan, "ListPersonalPlans");
  }
  return page;
}

absl::StatusOr<store::WriteResult> PersonalPlans::DeletePlan(
    absl::string_view municipality, absl::string_view id, const Loaded& loaded,
    const events::EventContext& cause, bool erase_trail) {
  store::WriteSpec spec = store::VersionedWriteSpec(
      municipality, kPersonalPlanCollection, id, loaded.version);
  spec.remove_from_indexes.push_back(
      ctx_.keys.AllIndex(municipality, kPersonalPlanCollection));
  const std::string newcomer_id = store::IdOf(loaded.plan.newcomer());
  spec.remove_from_indexes.push_back(ctx_.keys.Index(
      municipality, kPersonalPlanCollection, "newcomer", newcomer_id));
  if (erase_trail) {
    spec.event_trail = EventTrail(municipality, newcomer_id);
    spec.erase_event_trail = true;
  }
  v1::PersonalPlanDeleted payload;
  payload.set_name(loaded.plan.name());
  spec.event =
      events::MakeEvent(cause, municipality, loaded.plan.name(), payload);
  return ctx_.store.Delete(spec);
}

absl::Status PersonalPlans::Delete(const auth::Principal& principal,
                                   absl::string_view municipality,
                                   absl::string_view id) {
  RETURN_IF_ERROR(RequirePlanAccess(principal, municipality));
  const std::string name = PersonalPlanName(municipality, id);
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Loaded current, Load(municipality, id));
    ASSIGN_OR_RETURN(
        store::WriteResult result,
        DeletePlan(municipality, id, current, EventContextFor(principal),
                   /*erase_trail=*/false));
    if (store::ShouldRetryWrite(result, "", attempt)) continue;
    return store::StoreOutcomeToStatus(result, kResourceType, name);
  }
}

absl::StatusOr<std::string> PersonalPlans::ExportCalendar(
    const auth::Principal& principal, absl::string_view municipality,
    absl::string_view id) {
  RETURN_IF_ERROR(RequirePlanAccess(principal, municipality));
  RETURN_IF_ERROR(time::CheckCopenhagenTimeZone());
  ASSIGN_OR_RETURN(Loaded loaded, Load(municipality, id));
  const v1::PersonalPlan& plan = loaded.plan;
  AuditRead(principal, municipality, plan, "ExportPersonalPlanCalendar");

  Calendar calendar;
  calendar.name = "Reception plan";
  const absl::Time created = store::FromTimestamp(plan.create_time());
  for (const v1::PlannedItem& item : plan.items()) {
    ASSIGN_OR_RETURN(absl::CivilDay first,
                     ParseLocalDate(item.week_start_date(), "week_start_date"));
    ASSIGN_OR_RETURN(absl::CivilDay last,
                     ParseLocalDate(item.week_end_date(), "week_end_date"));
    CalendarEvent event;
    event.uid = absl::StrCat(plan.name(), "/", item.item_id(), "@brobygger");
    event.summary = item.title();
    event.description = ItemDescription(item);
    event.schedule.start = absl::CivilSecond(first);
    // Midnight to midnight in local time: a week across a daylight-saving
    // change lasts 167 or 169 hours.
    event.schedule.duration =
        time::CopenhagenToAbsolute(absl::CivilSecond(last + 1)) -
        time::CopenhagenToAbsolute(absl::CivilSecond(first));
    event.last_modified = created;
    calendar.events.push_back(std::move(event));
  }
  return RenderICalendar(calendar);
}

absl::Status PersonalPlans::EraseNewcomer(absl::string_view municipality,
                                          absl::string_view newcomer_id) {
  if (!api::IsValidMunicipalityId(municipality)) {
    return InvalidFieldError("municipality",
                             "is not a municipality id such as \"aalborg\"");
  }
  if (!api::IsValidNumericId(newcomer_id)) {
    return InvalidFieldError("newcomer_id",
                             "is not an actor id such as \"12\"");
  }
  const std::string index = ctx_.keys.Index(
      municipality, kPersonalPlanCollection, "newcomer", newcomer_id);
  for (int batch = 0;; ++batch) {
    if (batch == kMaxEraseBatches) {
      return absl::UnavailableError(
          absl::StrCat("plans of newcomer ", newcomer_id, " in ", municipality,
                       " are being created while they are erased; retry"));
    }
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     ctx_.store.Scan(index, 0, kEraseBatch));
    if (ids.empty()) break;
    for (const std::string& id : ids) {
      for (int attempt = 1;; ++attempt) {
        auto current = Load(municipality, id);
        if (absl::IsNotFound(current.status())) {
          // Indexes are written with their document; an entry without one
          // is not ours to keep.
          RETURN_IF_ERROR(ctx_.pool.Run({"ZREM", index, id}).status());
          break;
        }
        RETURN_IF_ERROR(current.status());
        ASSIGN_OR_RETURN(
            store::WriteResult result,
            DeletePlan(municipality, id, *current, SystemEventContext(),
                       /*erase_trail=*/true));
        if (result.outcome == store::WriteResult::Outcome::kNotFound) break;
        if (store::ShouldRetryWrite(result, "", attempt)) continue;
        RETURN_IF_ERROR(store::StoreOutcomeToStatus(
            result, kResourceType, PersonalPlanName(municipality, id)));
        break;
      }
    }
  }

  // Plans deleted earlier left their PersonalPlanCreated events on the
  // stream; with no plan left to delete, take them back here.
  const std::string trail = EventTrail(municipality, newcomer_id);
  ASSIGN_OR_RETURN(redis::Reply entries,
                   ctx_.pool.Run({"LRANGE", trail, "0", "-1"}));
  std::vector<redis::Command> commands;
  if (entries.is_array() && !entries.elements.empty()) {
    redis::Command xdel = {"XDEL", ctx_.keys.space().EventStream(municipality)};
    for (const redis::Reply& entry : entries.elements) {
      xdel.push_back(entry.str);
    }
    commands.push_back(std::move(xdel));
  }
  commands.push_back({"DEL", trail});
  return ctx_.pool.Pipeline(commands).status();
}

}  // namespace brobygger::catalogue
