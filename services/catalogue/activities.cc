#include "services/catalogue/activities.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "brobygger/catalogue/v1/events.pb.h"
#include "common/api/field_checks.h"
#include "common/api/field_mask.h"
#include "common/api/filter.h"
#include "common/api/pagination.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/index_page.h"
#include "common/text/fold.h"
#include "common/time/copenhagen_time.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/catalogue/activity_access.h"
#include "services/catalogue/activity_rules.h"
#include "services/catalogue/activity_schedule.h"
#include "services/catalogue/local_time_text.h"

namespace brobygger::catalogue {
namespace {

using Outcome = store::WriteResult::Outcome;
using google::protobuf::util::MessageDifferencer;

constexpr char kResourceType[] = "brobygger.catalogue.v1.Activity";
constexpr int kMaxScannedPerList = 5000;

// Collects the top-level fields in which two activities differ.
class TopLevelDiff : public MessageDifferencer::Reporter {
 public:
  void ReportAdded(const google::protobuf::Message&,
                   const google::protobuf::Message&,
                   const std::vector<MessageDifferencer::SpecificField>& path)
      override {
    Note(path);
  }
  void ReportDeleted(const google::protobuf::Message&,
                     const google::protobuf::Message&,
                     const std::vector<MessageDifferencer::SpecificField>& path)
      override {
    Note(path);
  }
  void ReportModified(
      const google::protobuf::Message&, const google::protobuf::Message&,
      const std::vector<MessageDifferencer::SpecificField>& path) override {
    Note(path);
  }
  const std::set<std::string>& fields() const { return fields_; }

 private:
  void Note(const std::vector<MessageDifferencer::SpecificField>& path) {
    if (!path.empty() && path[0].field != nullptr) {
      fields_.insert(path[0].field->name());
    }
  }
  std::set<std::string> fields_;
};

// The fields a client would see change (bookkeeping fields excluded).
std::set<std::string> ChangedFields(const v1::Activity& before,
                                    const v1::Activity& after) {
  v1::Activity a = before, b = after;
  for (v1::Activity* x : {&a, &b}) {
    x->clear_etag();
    x->clear_update_time();
  }
  TopLevelDiff diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesTo(&diff);
  differencer.Compare(a, b);
  return diff.fields();
}

std::string EnumFilterValue(absl::string_view value, absl::string_view prefix) {
  std::string upper = absl::AsciiStrToUpper(value);
  if (!absl::StartsWith(upper, prefix)) upper = absl::StrCat(prefix, upper);
  return upper;
}

// AIP-160 restrictions of ListActivities.
struct ActivityListFilter {
  std::optional<v1::ActivityState> state;
  std::optional<v1::ActivityKind> kind;
  std::optional<v1::Category> category;
  std::optional<std::string> organiser;
  std::optional<std::string> folded_area;

  bool Matches(const v1::Activity& a) const {
    if (state && a.state() != *state) return false;
    if (kind && a.kind() != *kind) return false;
    if (category && a.category() != *category) return false;
    if (organiser && a.organiser() != *organiser &&
        std::find(a.co_organisers().begin(), a.co_organisers().end(),
                  *organiser) == a.co_organisers().end()) {
      return false;
    }
    if (folded_area && text::FoldForSearch(a.place().area()) != *folded_area) {
      return false;
    }
    return true;
  }
};

absl::StatusOr<ActivityListFilter> ParseListFilter(absl::string_view text) {
  ASSIGN_OR_RETURN(std::vector<api::Restriction> restrictions,
                   api::ParseFilter(text));
  ActivityListFilter filter;
  for (const api::Restriction& r : restrictions) {
    bool ok = true;
    if (r.field == "state") {
      v1::ActivityState state = v1::ACTIVITY_STATE_UNSPECIFIED;
      ok = v1::ActivityState_Parse(EnumFilterValue(r.value, "ACTIVITY_STATE_"),
                                   &state);
      filter.state = state;
    } else if (r.field == "kind") {
      v1::ActivityKind kind = v1::ACTIVITY_KIND_UNSPECIFIED;
      ok = v1::ActivityKind_Parse(EnumFilterValue(r.value, "ACTIVITY_KIND_"),
                                  &kind);
      filter.kind = kind;
    } else if (r.field == "category") {
      v1::Category category = v1::CATEGORY_UNSPECIFIED;
      ok = v1::Category_Parse(EnumFilterValue(r.value, "CATEGORY_"), &category);
      filter.category = category;
    } else if (r.field == "organiser") {
      filter.organiser = r.value;
    } else if (r.field == "area") {
      filter.folded_area = text::FoldForSearch(r.value);
    } else {
      return InvalidFieldError(
          "filter", absl::StrCat("unknown field \"", r.field,
                                 "\"; use state, kind, category, organiser "
                                 "or area"));
    }
    if (!ok) {
      return InvalidFieldError(
          "filter", absl::StrCat("\"", r.value, "\" is not a valid ", r.field));
    }
  }
  return filter;
}

std::vector<std::string> OrganisersOf(const v1::Activity& activity) {
  std::vector<std::string> out = {activity.organiser()};
  out.insert(out.end(), activity.co_organisers().begin(),
             activity.co_organisers().end());
  return out;
}

// The event describing a change from `before` (null: created) to `after`
// (null: deleted).
std::unique_ptr<google::protobuf::Message> EventPayload(
    const v1::Activity* before, const v1::Activity* after,
    absl::string_view reason) {
  if (after == nullptr) {
    if (before != nullptr && IsPublic(*before)) {
      auto cancelled = std::make_unique<v1::ActivityCancelled>();
      *cancelled->mutable_activity() = *before;
      cancelled->set_reason(reason.empty() ? "deleted" : std::string(reason));
      cancelled->set_deleted(true);
      return cancelled;
    }
    auto deleted = std::make_unique<v1::ActivityDeleted>();
    deleted->set_name(before != nullptr ? before->name() : "");
    return deleted;
  }
  const bool was_public = before != nullptr && IsPublic(*before);
  if (after->state() == v1::ACTIVITY_STATE_PUBLISHED &&
      (before == nullptr ||
       before->state() != v1::ACTIVITY_STATE_PUBLISHED)) {
    auto published = std::make_unique<v1::ActivityPublished>();
    *published->mutable_activity() = *after;
    return published;
  }
  if (was_public && after->state() == v1::ACTIVITY_STATE_ENDED) {
    auto cancelled = std::make_unique<v1::ActivityCancelled>();
    *cancelled->mutable_activity() = *after;
    cancelled->set_reason(reason.empty() ? "ended" : std::string(reason));
    return cancelled;
  }
  if (before == nullptr) {
    auto drafted = std::make_unique<v1::ActivityDrafted>();
    *drafted->mutable_activity() = *after;
    return drafted;
  }
  auto changed = std::make_unique<v1::ActivityChanged>();
  *changed->mutable_activity() = *after;
  for (const std::string& field : ChangedFields(*before, *after)) {
    changed->mutable_update_mask()->add_paths(field);
  }
  return changed;
}

}  // namespace

std::string ActivityName(absl::string_view municipality, absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/activities/", id);
}

Activities::Activities(CatalogueContext& ctx, RegistryProjection& registry,
                       ActivitiesOptions options)
    : ctx_(ctx), registry_(registry), options_(options) {}

absl::StatusOr<store::Versioned<v1::Activity>> Activities::Load(
    absl::string_view municipality, absl::string_view id) {
  const std::string name = ActivityName(municipality, id);
  ASSIGN_OR_RETURN(auto loaded, store::LoadResource<v1::Activity>(
                                    ctx_.store, municipality,
                                    kActivityCollection, id, name,
                                    kResourceType, "activity"));
  loaded.resource.set_etag(store::EtagOf(loaded.version));
  return loaded;
}

absl::Status Activities::ResolveOrganisers(absl::string_view municipality,
                                           v1::Activity* activity) {
  const std::vector<std::string> organisers = OrganisersOf(*activity);
  for (size_t i = 0; i < organisers.size(); ++i) {
    const std::string field =
        i == 0 ? "activity.organiser"
               : absl::StrCat("activity.co_organisers[", i - 1, "]");
    std::optional<Organiser> found;
    const absl::Time deadline = absl::Now() + options_.organiser_wait;
    while (true) {
      ASSIGN_OR_RETURN(found, registry_.FindOrganiser(
                                  municipality, store::IdOf(organisers[i])));
      if (found.has_value() || absl::Now() >= deadline) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    if (!found.has_value()) {
      return InvalidFieldError(
          field,
          absl::StrCat(organisers[i],
                       " is not an organisation or municipal department of "
                       "the registry (unknown, deleted, or a single "
                       "person); register it in the registry first"));
    }
    if (i == 0) activity->set_organiser_display_name(found->display_name);
  }
  return absl::OkStatus();
}

store::WriteSpec Activities::ChangeSpec(absl::string_view municipality,
                                        absl::string_view id, int64_t version,
                                        const v1::Activity* before,
                                        const v1::Activity* after) {
  store::WriteSpec spec =
      store::VersionedWriteSpec(municipality, kActivityCollection, id, version);
  const auto organiser_index = [&](const std::string& actor) {
    return ctx_.keys.Index(municipality, kActivityCollection, "organiser",
                           store::IdOf(actor));
  };
  std::set<std::string> old_organisers, new_organisers;
  if (before != nullptr) {
    for (const auto& o : OrganisersOf(*before)) old_organisers.insert(o);
  }
  if (after != nullptr) {
    spec.data = after->SerializeAsString();
    for (const auto& o : OrganisersOf(*after)) new_organisers.insert(o);
    spec.add_to_indexes.push_back(
        {ctx_.keys.AllIndex(municipality, kActivityCollection),
         store::IdScore(id)});
    for (const std::string& actor : new_organisers) {
      spec.add_to_indexes.push_back(
          {organiser_index(actor), store::IdScore(id)});
      if (!old_organisers.contains(actor)) {
        spec.must_exist.push_back(
            registry_.OrganiserKey(municipality, store::IdOf(actor)));
      }
    }
    if (!after->external_id().empty()) {
      spec.take_claims.push_back(
          {ctx_.keys.ExternalIdClaims(municipality), after->external_id()});
    }
  } else {
    spec.remove_from_indexes.push_back(
        ctx_.keys.AllIndex(municipality, kActivityCollection));
  }
  for (const std::string& actor : old_organisers) {
    if (!new_organisers.contains(actor)) {
      spec.remove_from_indexes.push_back(organiser_index(actor));
    }
  }
  if (before != nullptr && !before->external_id().empty() &&
      (after == nullptr || after->external_id() != before->external_id())) {
    spec.release_claims.push_back(
        {ctx_.keys.ExternalIdClaims(municipality), before->external_id()});
  }
  return spec;
}

absl::StatusOr<store::WriteResult> Activities::WriteChange(
    const events::EventContext& cause, absl::string_view municipality,
    const store::Versioned<v1::Activity>& loaded, const v1::Activity& after,
    absl::string_view reason) {
  const std::string id = store::IdOf(after.name());
  v1::Activity stored = after;
  stored.clear_etag();
  *stored.mutable_update_time() = store::ToTimestamp(absl::Now());
  store::WriteSpec spec = ChangeSpec(municipality, id, loaded.version,
                                     &loaded.resource, &stored);
  v1::Activity announced = stored;
  announced.set_etag(store::EtagOf(loaded.version + 1));
  spec.event = events::MakeEvent(
      cause, municipality, after.name(),
      *EventPayload(&loaded.resource, &announced, reason));
  return ctx_.store.Update(spec);
}

absl::StatusOr<v1::Activity> Activities::Create(
    const auth::Principal& principal, absl::string_view municipality,
    v1::Activity activity, absl::string_view request_id) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(
      ValidateAndNormalizeActivity(municipality, "activity", &activity));
  if (activity.state() == v1::ACTIVITY_STATE_ENDED) {
    return InvalidFieldError("activity.state",
                             "an activity is created as DRAFT, PUBLISHED or "
                             "PAUSED");
  }
  RETURN_IF_ERROR(RequireCreator(principal, activity));
  std::string request_key;
  if (!request_id.empty()) {
    request_key =
        ctx_.keys.Request(municipality, kActivityCollection, request_id);
    ASSIGN_OR_RETURN(auto earlier, ctx_.store.LookupRequest(request_key));
    if (earlier.has_value()) return Get(principal, municipality, *earlier);
  }
  RETURN_IF_ERROR(ResolveOrganisers(municipality, &activity));
  ASSIGN_OR_RETURN(int64_t numeric_id,
                   ctx_.store.NextId(municipality, kActivityCollection));
  const std::string id = absl::StrCat(numeric_id);
  const absl::Time now = absl::Now();
  activity.set_name(ActivityName(municipality, id));
  activity.clear_etag();
  activity.clear_cancelled_occurrences();
  *activity.mutable_create_time() = store::ToTimestamp(now);
  *activity.mutable_update_time() = activity.create_time();

  store::WriteSpec spec = ChangeSpec(municipality, id, 0, nullptr, &activity);
  spec.request_key = request_key;
  v1::Activity announced = activity;
  announced.set_etag(store::EtagOf(1));
  spec.event = events::MakeEvent(EventContextFor(principal, request_id),
                                 municipality, activity.name(),
                                 *EventPayload(nullptr, &announced, ""), now);
  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Create(spec));
  switch (result.outcome) {
    case Outcome::kRequestReplayed:
      return Get(principal, municipality, result.id);
    case Outcome::kDuplicate:
      return ResourceExistsError(
          kResourceType, ActivityName(municipality, result.id),
          absl::StrCat("external_id \"", activity.external_id(),
                       "\" already belongs to ",
                       ActivityName(municipality, result.id),
                       "; update that activity instead"));
    case Outcome::kMissing:
      return InvalidFieldError(
          "activity.organiser",
          "an organiser was deleted from the registry meanwhile; check the "
          "organisers and retry");
    default:
      RETURN_IF_ERROR(
          store::StoreOutcomeToStatus(result, kResourceType, activity.name()));
  }
  return announced;
}

absl::StatusOr<v1::Activity> Activities::Get(const auth::Principal& principal,
                                             absl::string_view municipality,
                                             absl::string_view id) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  auto loaded = Load(municipality, id);
  if (!loaded.ok()) return loaded.status();
  if (!MayRead(principal, loaded->resource)) {
    // A draft of another organisation does not exist for this caller.
    return ResourceNotFoundError(kResourceType,
                                 ActivityName(municipality, id));
  }
  return std::move(loaded->resource);
}

absl::StatusOr<ActivityPage> Activities::List(const auth::Principal& principal,
                                              absl::string_view municipality,
                                              int32_t page_size,
                                              absl::string_view page_token,
                                              absl::string_view filter_text) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(int size, api::ResolvePageSize(page_size));
  ASSIGN_OR_RETURN(ActivityListFilter filter, ParseListFilter(filter_text));
  const std::string fingerprint =
      absl::StrCat("activities|", municipality, "|", filter_text);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  std::vector<std::string> candidates;
  if (filter.organiser) {
    candidates.push_back(ctx_.keys.Index(municipality, kActivityCollection,
                                         "organiser",
                                         store::IdOf(*filter.organiser)));
  }
  ASSIGN_OR_RETURN(
      std::string index,
      store::SmallestIndex(
          ctx_.pool, ctx_.keys.AllIndex(municipality, kActivityCollection),
          candidates));
  ASSIGN_OR_RETURN(store::IndexPage<v1::Activity> page,
                   store::ScanIndexPage<v1::Activity>(
                       ctx_.store, municipality, kActivityCollection, index,
                       size, cursor, kMaxScannedPerList,
                       [&](const v1::Activity& activity) {
                         return MayRead(principal, activity) &&
                                filter.Matches(activity);
                       }));
  ActivityPage out;
  out.activities = std::move(page.items);
  if (!page.next_cursor.empty()) {
    out.next_page_token = api::EncodePageToken(page.next_cursor, fingerprint);
  }
  return out;
}

absl::StatusOr<v1::Activity> Activities::Update(
    const auth::Principal& principal, absl::string_view municipality,
    const v1::Activity& patch, const google::protobuf::FieldMask& mask) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  const std::string id = store::IdOf(patch.name());
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(auto current, Load(municipality, id));
    if (!MayRead(principal, current.resource)) {
      return ResourceNotFoundError(kResourceType, patch.name());
    }
    RETURN_IF_ERROR(RequireEditor(principal, current.resource));
    RETURN_IF_ERROR(store::CheckEtag(patch.etag(), current.version,
                                     patch.name(), "activity.etag"));
    v1::Activity updated = current.resource;
    RETURN_IF_ERROR(
        api::ApplyFieldMask(mask, patch, ActivityMaskRules(), &updated));
    RETURN_IF_ERROR(
        ValidateAndNormalizeActivity(municipality, "activity", &updated));
    if (updated.state() == v1::ACTIVITY_STATE_DRAFT &&
        current.resource.state() != v1::ACTIVITY_STATE_DRAFT) {
      return InvalidFieldError("activity.state",
                               "a published activity cannot go back to "
                               "DRAFT; PAUSE or END it");
    }
    // ENDED is over for good (its organiser may even have left the
    // registry): bringing it back would publish what nobody stands for.
    if (current.resource.state() == v1::ACTIVITY_STATE_ENDED &&
        updated.state() != v1::ACTIVITY_STATE_ENDED) {
      return InvalidFieldError("activity.state",
                               "an ended activity is over for good; create "
                               "a new one instead");
    }
    RETURN_IF_ERROR(RequireEditor(principal, updated));
    if (ChangedFields(current.resource, updated).empty()) {
      return current.resource;  // nothing to write, nothing to announce
    }
    if (!std::equal(updated.co_organisers().begin(),
                    updated.co_organisers().end(),
                    current.resource.co_organisers().begin(),
                    current.resource.co_organisers().end())) {
      RETURN_IF_ERROR(ResolveOrganisers(municipality, &updated));
    }
    ASSIGN_OR_RETURN(store::WriteResult result,
                     WriteChange(EventContextFor(principal), municipality,
                                 current, updated, ""));
    if (store::ShouldRetryWrite(result, patch.etag(), attempt)) continue;
    if (result.outcome == Outcome::kDuplicate) {
      return ResourceExistsError(
          kResourceType, ActivityName(municipality, result.id),
          absl::StrCat("external_id \"", updated.external_id(),
                       "\" already belongs to ",
                       ActivityName(municipality, result.id)));
    }
    if (result.outcome == Outcome::kMissing) {
      return InvalidFieldError("activity.co_organisers",
                               "a co-organiser was deleted from the registry "
                               "meanwhile");
    }
    RETURN_IF_ERROR(
        store::StoreOutcomeToStatus(result, kResourceType, patch.name()));
    return Load(municipality, id).value_or(store::Versioned<v1::Activity>())
        .resource;
  }
}

absl::Status Activities::Delete(const auth::Principal& principal,
                                absl::string_view municipality,
                                absl::string_view id, absl::string_view etag) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  const std::string name = ActivityName(municipality, id);
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(auto current, Load(municipality, id));
    if (!MayRead(principal, current.resource)) {
      return ResourceNotFoundError(kResourceType, name);
    }
    RETURN_IF_ERROR(RequireEditor(principal, current.resource));
    RETURN_IF_ERROR(store::CheckEtag(etag, current.version, name, "etag"));
    store::WriteSpec spec = ChangeSpec(municipality, id, current.version,
                                       &current.resource, nullptr);
    spec.event = events::MakeEvent(
        EventContextFor(principal), municipality, name,
        *EventPayload(&current.resource, nullptr, ""));
    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Delete(spec));
    if (store::ShouldRetryWrite(result, etag, attempt)) continue;
    return store::StoreOutcomeToStatus(result, kResourceType, name);
  }
}

absl::StatusOr<v1::Activity> Activities::CancelOccurrence(
    const auth::Principal& principal, absl::string_view municipality,
    absl::string_view id, absl::string_view local_start,
    absl::string_view reason, absl::string_view etag) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  const std::string name = ActivityName(municipality, id);
  FieldViolations violations;
  auto start = ParseLocalDateTime(local_start, "start_time");
  if (!start.ok()) {
    for (auto& v : FieldViolationsOf(start.status())) {
      violations.Add(v.field, v.description);
    }
  }
  api::CheckText(std::string(reason), kMaxCancelReasonChars, true, "reason",
                 "why it does not take place, for the participants",
                 &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(auto current, Load(municipality, id));
    if (!MayRead(principal, current.resource)) {
      return ResourceNotFoundError(kResourceType, name);
    }
    RETURN_IF_ERROR(RequireEditor(principal, current.resource));
    // Already cancelled: a retry of this request gets its result even
    // though the etag it carries is now stale (there is nothing to write,
    // so nothing to protect).
    const std::string canonical = FormatLocalDateTime(*start);
    for (const auto& cancelled : current.resource.cancelled_occurrences()) {
      if (cancelled.start_time() == canonical) return current.resource;
    }
    RETURN_IF_ERROR(store::CheckEtag(etag, current.version, name, "etag"));
    ASSIGN_OR_RETURN(Schedule schedule,
                     ScheduleFromProto(current.resource.schedule()));
    // The occurrence must exist: expand a day around its instant.
    const absl::Time instant = time::CopenhagenToAbsolute(*start);
    ASSIGN_OR_RETURN(Expansion around,
                     ExpandOccurrences(schedule, instant - absl::Hours(36),
                                       instant + absl::Hours(36), 1000));
    const auto match = std::find_if(
        around.occurrences.begin(), around.occurrences.end(),
        [&](const Occurrence& o) { return o.local_start == *start; });
    if (match == around.occurrences.end()) {
      return InvalidFieldError(
          "start_time", absl::StrCat(name, " has no occurrence starting at ",
                                     canonical,
                                     "; use a start from ListOccurrences"));
    }
    if (match->end <= absl::Now()) {
      return PreconditionError("OCCURRENCE_PAST", name,
                               "that occurrence is already over");
    }
    v1::Activity updated = current.resource;
    // Keep the list bounded: cancellations of past occurrences go first.
    auto* list = updated.mutable_cancelled_occurrences();
    if (list->size() >= kMaxCancelledOccurrences) list->DeleteSubrange(0, 1);
    v1::CancelledOccurrence* added = list->Add();
    added->set_start_time(canonical);
    added->set_reason(std::string(reason));
    *added->mutable_cancel_time() = store::ToTimestamp(absl::Now());

    const std::string doc_id = store::IdOf(name);
    v1::Activity stored = updated;
    stored.clear_etag();
    *stored.mutable_update_time() = store::ToTimestamp(absl::Now());
    store::WriteSpec spec = ChangeSpec(municipality, doc_id, current.version,
                                       &current.resource, &stored);
    if (IsPublic(current.resource)) {
      v1::OccurrenceCancelled payload;
      payload.set_activity(name);
      payload.set_display_name(updated.display_name());
      payload.set_local_start_time(canonical);
      payload.set_reason(std::string(reason));
      spec.event = events::MakeEvent(EventContextFor(principal), municipality,
                                     name, payload);
    } else {
      v1::Activity announced = stored;
      announced.set_etag(store::EtagOf(current.version + 1));
      spec.event = events::MakeEvent(
          EventContextFor(principal), municipality, name,
          *EventPayload(&current.resource, &announced, ""));
    }
    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Update(spec));
    if (store::ShouldRetryWrite(result, etag, attempt)) continue;
    RETURN_IF_ERROR(store::StoreOutcomeToStatus(result, kResourceType, name));
    return Load(municipality, doc_id).value_or(store::Versioned<v1::Activity>())
        .resource;
  }
}

absl::StatusOr<ImportResult> Activities::Import(
    const auth::Principal& principal, absl::string_view municipality,
    v1::Activity activity, bool validate_only, absl::string_view exported_id) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  if (activity.external_id().empty()) {
    return InvalidFieldError("activity.external_id",
                             "imports need the id the other directory uses");
  }
  ASSIGN_OR_RETURN(redis::Reply claim,
                   ctx_.pool.Run({"HGET",
                                  ctx_.keys.ExternalIdClaims(municipality),
                                  activity.external_id()}));
  if (claim.is_error()) return absl::InternalError(claim.str);
  std::string target_id = claim.is_string() ? claim.str : "";
  if (target_id.empty() && !exported_id.empty()) {
    // A service this municipality exported itself: it updates the activity
    // it came from, whose own external id (if any) stays.
    auto exported = Load(municipality, exported_id);
    if (exported.ok()) {
      target_id = std::string(exported_id);
      activity.set_external_id(exported->resource.external_id());
    } else if (!absl::IsNotFound(exported.status())) {
      return exported.status();
    }
  }
  if (target_id.empty()) {
    if (validate_only) {
      RETURN_IF_ERROR(
          ValidateAndNormalizeActivity(municipality, "activity", &activity));
      RETURN_IF_ERROR(RequireCreator(principal, activity));
      RETURN_IF_ERROR(ResolveOrganisers(municipality, &activity));
      return ImportResult{ImportOutcome::kCreated, ""};
    }
    // The external id doubles as the idempotency key, so a retried import
    // does not create twice.
    ASSIGN_OR_RETURN(v1::Activity created,
                     Create(principal, municipality, activity,
                            absl::StrCat("import:", activity.external_id())));
    return ImportResult{ImportOutcome::kCreated, created.name()};
  }
  ASSIGN_OR_RETURN(auto current, Load(municipality, target_id));
  v1::Activity updated = current.resource;
  activity.set_state(current.resource.state());
  activity.set_kind(current.resource.kind());
  activity.set_organiser(current.resource.organiser());
  google::protobuf::FieldMask all;
  all.add_paths("*");
  RETURN_IF_ERROR(
      api::ApplyFieldMask(all, activity, ActivityMaskRules(), &updated));
  RETURN_IF_ERROR(
      ValidateAndNormalizeActivity(municipality, "activity", &updated));
  RETURN_IF_ERROR(RequireEditor(principal, current.resource));
  if (ChangedFields(current.resource, updated).empty()) {
    return ImportResult{ImportOutcome::kUnchanged, updated.name()};
  }
  if (validate_only) return ImportResult{ImportOutcome::kUpdated, updated.name()};
  updated.set_etag(current.resource.etag());
  RETURN_IF_ERROR(Update(principal, municipality, updated, all).status());
  return ImportResult{ImportOutcome::kUpdated, updated.name()};
}

template <typename Change>
absl::Status Activities::RewriteForRegistry(absl::string_view municipality,
                                            absl::string_view id,
                                            const Change& change) {
  for (int attempt = 1;; ++attempt) {
    auto current = Load(municipality, id);
    if (absl::IsNotFound(current.status())) return absl::OkStatus();
    RETURN_IF_ERROR(current.status());
    v1::Activity updated = current->resource;
    std::string reason;
    if (!change(&updated, &reason)) return absl::OkStatus();
    ASSIGN_OR_RETURN(store::WriteResult result,
                     WriteChange(SystemEventContext(), municipality, *current,
                                 updated, reason));
    if (result.outcome == Outcome::kConflict &&
        attempt < store::kMaxWriteAttempts) {
      continue;
    }
    if (result.outcome == Outcome::kNotFound) return absl::OkStatus();
    return store::StoreOutcomeToStatus(result, kResourceType,
                                       ActivityName(municipality, id));
  }
}

template <typename Change>
absl::Status Activities::RewriteActivitiesOf(absl::string_view municipality,
                                             absl::string_view actor,
                                             const Change& change) {
  const std::string index = ctx_.keys.Index(municipality, kActivityCollection,
                                            "organiser", store::IdOf(actor));
  double after = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     ctx_.store.Scan(index, after, store::kMaxScanBatch));
    for (const std::string& id : ids) {
      RETURN_IF_ERROR(RewriteForRegistry(municipality, id, change));
    }
    if (ids.size() < static_cast<size_t>(store::kMaxScanBatch)) break;
    after = store::IdScore(ids.back());
  }
  return absl::OkStatus();
}

absl::Status Activities::OrganiserRemoved(absl::string_view municipality,
                                          absl::string_view actor) {
  return RewriteActivitiesOf(
      municipality, actor, [&](v1::Activity* activity, std::string* reason) {
        auto* co = activity->mutable_co_organisers();
        const auto it = std::find(co->begin(), co->end(), actor);
        if (it != co->end()) {
          co->erase(it);
          return true;
        }
        if (activity->organiser() != actor ||
            activity->state() == v1::ACTIVITY_STATE_ENDED) {
          return false;
        }
        activity->set_state(v1::ACTIVITY_STATE_ENDED);
        *reason = absl::StrCat("the organiser ",
                               activity->organiser_display_name(),
                               " left the registry");
        return true;
      });
}

absl::Status Activities::OrganiserRenamed(absl::string_view municipality,
                                          absl::string_view actor,
                                          absl::string_view display_name) {
  return RewriteActivitiesOf(
      municipality, actor, [&](v1::Activity* activity, std::string*) {
        if (activity->organiser() != actor ||
            activity->organiser_display_name() == display_name) {
          return false;
        }
        activity->set_organiser_display_name(std::string(display_name));
        return true;
      });
}

absl::StatusOr<std::vector<v1::Activity>> Activities::LoadMany(
    absl::string_view municipality, const std::vector<std::string>& ids) {
  ASSIGN_OR_RETURN(std::vector<store::Document> documents,
                   ctx_.store.GetMany(municipality, kActivityCollection, ids));
  std::vector<v1::Activity> out;
  out.reserve(documents.size());
  for (const store::Document& document : documents) {
    v1::Activity activity;
    if (!activity.ParseFromString(document.data)) {
      return absl::DataLossError(
          absl::StrCat("stored activity ", document.id, " does not parse"));
    }
    activity.set_etag(store::EtagOf(document.version));
    out.push_back(std::move(activity));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> Activities::AllIds(
    absl::string_view municipality) {
  const std::string index =
      ctx_.keys.AllIndex(municipality, kActivityCollection);
  std::vector<std::string> out;
  double after = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<std::string> batch,
                     ctx_.store.Scan(index, after, 10000));
    if (batch.empty()) break;
    after = store::IdScore(batch.back());
    out.insert(out.end(), batch.begin(), batch.end());
    if (batch.size() < 10000) break;
  }
  return out;
}

}  // namespace brobygger::catalogue
