#include "services/registry/actors.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/api/field_mask.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/registry/actor_filter.h"
#include "services/registry/actor_rules.h"
#include "services/registry/disclosure.h"
#include "services/registry/resource_io.h"

namespace brobygger::registry {
namespace {

constexpr char kResourceType[] = "brobygger.registry.v1.Actor";
constexpr char kActorPattern[] = "municipalities/{municipality}/actors/{actor}";
// Collections whose documents may reference an actor.
constexpr const char* kReferencingCollections[] = {
    kActorCollection, kContactPointCollection, kForumCollection,
    kMunicipalityCollection};
// A List call examines at most this many actors, then returns what it has
// with a page token, so a very selective filter cannot make one call slow.
constexpr int kMaxScannedPerList = 5000;

const api::FieldMaskRules& UpdateRules() {
  static const auto* rules = new api::FieldMaskRules{
      .output_only = {"name", "etag", "create_time", "update_time", "view"},
      .immutable = {"kind"}};
  return *rules;
}

// Actors this actor references, as (field, actor name).
std::vector<std::pair<std::string, std::string>> ReferencesOf(
    const v1::Actor& actor) {
  std::vector<std::pair<std::string, std::string>> references;
  if (!actor.parent().empty()) {
    references.emplace_back("actor.parent", actor.parent());
  }
  if (!actor.newcomer().caseworker().empty()) {
    references.emplace_back("actor.newcomer.caseworker",
                            actor.newcomer().caseworker());
  }
  return references;
}

// Stamps consent changes with the time they were made.
void StampConsent(const v1::Actor* before, absl::Time now, v1::Actor* after) {
  if (after->kind() != v1::ACTOR_KIND_NEWCOMER) return;
  v1::Consent* consent = after->mutable_newcomer()->mutable_consent();
  const v1::Consent previous =
      before != nullptr ? before->newcomer().consent() : v1::Consent();
  consent->clear_volunteer_contact_time();
  consent->clear_data_sharing_time();
  if (previous.has_volunteer_contact_time()) {
    *consent->mutable_volunteer_contact_time() =
        previous.volunteer_contact_time();
  }
  if (previous.has_data_sharing_time()) {
    *consent->mutable_data_sharing_time() = previous.data_sharing_time();
  }
  if (before == nullptr
          ? consent->volunteer_contact()
          : consent->volunteer_contact() != previous.volunteer_contact()) {
    *consent->mutable_volunteer_contact_time() = ToTimestamp(now);
  }
  if (before == nullptr ? consent->data_sharing()
                        : consent->data_sharing() != previous.data_sharing()) {
    *consent->mutable_data_sharing_time() = ToTimestamp(now);
  }
}

v1::Actor WithEtag(v1::Actor actor, int64_t version) {
  actor.set_etag(store::EtagOf(version));
  return actor;
}

}  // namespace

std::string ActorName(absl::string_view municipality, absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/actors/", id);
}

absl::StatusOr<Actors::Loaded> Actors::Load(absl::string_view municipality,
                                            absl::string_view id,
                                            absl::string_view name) {
  ASSIGN_OR_RETURN(
      Versioned<v1::Actor> loaded,
      LoadResource<v1::Actor>(ctx_.store, municipality, kActorCollection, id,
                              name, kResourceType, "actor"));
  return Loaded{std::move(loaded.resource), loaded.version};
}

absl::StatusOr<std::vector<v1::Actor>> Actors::LoadMany(
    absl::string_view municipality, const std::vector<std::string>& ids) {
  ASSIGN_OR_RETURN(auto documents,
                   ctx_.store.GetMany(municipality, kActorCollection, ids));
  std::vector<v1::Actor> actors;
  actors.reserve(documents.size());
  for (const store::Document& document : documents) {
    v1::Actor actor;
    if (!actor.ParseFromString(document.data)) {
      return absl::DataLossError("a stored actor does not parse");
    }
    actors.push_back(WithEtag(std::move(actor), document.version));
  }
  return actors;
}

absl::Status Actors::CheckReferences(absl::string_view municipality,
                                     const v1::Actor& actor) {
  const auto references = ReferencesOf(actor);
  if (references.empty()) return absl::OkStatus();
  std::vector<std::string> ids;
  for (const auto& [field, name] : references) ids.push_back(IdOf(name));
  ASSIGN_OR_RETURN(std::vector<v1::Actor> found, LoadMany(municipality, ids));
  std::map<std::string, v1::ActorKind> kinds;
  for (const v1::Actor& target : found) kinds[target.name()] = target.kind();
  FieldViolations violations;
  for (const auto& [field, name] : references) {
    auto it = kinds.find(name);
    if (it == kinds.end()) {
      violations.Add(field, absl::StrCat(name, " does not exist"));
    } else if (field == "actor.parent" && !IsOrganisation(it->second)) {
      violations.Add(field,
                     absl::StrCat(name, " is a ", KindFilterName(it->second),
                                  "; a parent must be an organisation "
                                  "or department"));
    } else if (field == "actor.newcomer.caseworker" &&
               it->second != v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE) {
      violations.Add(field, absl::StrCat(name, " is not a municipal employee"));
    }
  }
  return violations.ToStatus();
}

absl::Status Actors::CheckMayWrite(const auth::Principal& principal,
                                   const v1::Actor& actor,
                                   bool creating) const {
  switch (principal.role) {
    case auth::Role::kCaseworker:
    case auth::Role::kCoordinator:
      return absl::OkStatus();
    case auth::Role::kNgoApp:
      if (actor.kind() == v1::ACTOR_KIND_NEWCOMER) {
        return PermissionDeniedError(
            "NEWCOMER_DATA",
            "newcomers are registered by caseworkers and coordinators only");
      }
      if ((!creating && actor.name() == principal.organisation) ||
          (!actor.parent().empty() &&
           actor.parent() == principal.organisation)) {
        return absl::OkStatus();
      }
      return PermissionDeniedError(
          "OTHER_ORGANISATION",
          absl::StrCat("an NGO app manages only its own organisation (",
                       principal.organisation,
                       ") and actors whose parent it is"));
    case auth::Role::kVolunteer:
      if (!creating && actor.name() == principal.subject) {
        return absl::OkStatus();
      }
      return PermissionDeniedError(
          "NOT_OWN_PROFILE", "a volunteer may change only their own profile");
    case auth::Role::kOperator:
      break;
  }
  return PermissionDeniedError(
      "ROLE", "operators administer municipalities, not their actors");
}

absl::StatusOr<v1::DisclosureView> Actors::ViewOf(
    const auth::Principal& principal, absl::string_view municipality,
    absl::string_view id, const v1::Actor& actor) {
  bool granted = false;
  if (actor.kind() == v1::ACTOR_KIND_NEWCOMER &&
      principal.role == auth::Role::kVolunteer) {
    ASSIGN_OR_RETURN(granted,
                     grants_.IsGranted(municipality, id, principal.subject));
  }
  const v1::DisclosureView view = ViewFor(principal, actor, granted);
  if (view == v1::DISCLOSURE_VIEW_UNSPECIFIED) {
    return PermissionDeniedError(
        "NEWCOMER_DATA",
        "a newcomer's personal data is visible only to caseworkers and "
        "coordinators of the municipality, and (redacted) to the volunteers "
        "matched to them");
  }
  return view;
}

absl::Status Actors::AuditReads(const auth::Principal& principal,
                                absl::string_view municipality,
                                absl::string_view method,
                                const std::vector<v1::Actor>& disclosed) {
  std::vector<v1::AuditEntry> entries;
  const google::protobuf::Timestamp now = ToTimestamp(absl::Now());
  for (const v1::Actor& actor : disclosed) {
    if (actor.kind() != v1::ACTOR_KIND_NEWCOMER) continue;
    v1::AuditEntry entry;
    *entry.mutable_time() = now;
    entry.set_reader(principal.subject);
    entry.set_role(std::string(auth::RoleName(principal.role)));
    entry.set_newcomer(actor.name());
    entry.set_method(std::string(method));
    entry.set_view(actor.view());
    entries.push_back(std::move(entry));
  }
  absl::Status status = audit_.Append(municipality, entries);
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "the read could not be audited, so no personal data is returned; "
        "retry later (",
        status.message(), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Actor> Actors::Create(const auth::Principal& principal,
                                         absl::string_view municipality,
                                         v1::Actor actor,
                                         const CreateActorOptions& options) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(v1::Municipality tenant, municipalities_.Load(municipality));
  for (const char* field : {"name", "etag", "create_time", "update_time"}) {
    actor.GetReflection()->ClearField(
        &actor, actor.GetDescriptor()->FindFieldByName(field));
  }
  actor.clear_view();
  NormalizeActor(&actor);
  FieldViolations violations;
  ValidateActor(actor, municipality, tenant, "actor", &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  RETURN_IF_ERROR(CheckMayWrite(principal, actor, /*creating=*/true));

  std::string request_key;
  ASSIGN_OR_RETURN(std::optional<std::string> previous,
                   EarlierCreate(ctx_, municipality, kActorCollection,
                                 options.request_id, &request_key));
  if (previous.has_value()) {
    return Get(principal, ActorName(municipality, *previous));
  }
  RETURN_IF_ERROR(CheckReferences(municipality, actor));

  const absl::Time now = absl::Now();
  StampConsent(nullptr, now, &actor);
  ASSIGN_OR_RETURN(int64_t numeric_id,
                   ctx_.store.NextId(municipality, kActorCollection));
  const std::string id = absl::StrCat(numeric_id);
  actor.set_name(ActorName(municipality, id));
  *actor.mutable_create_time() = ToTimestamp(now);
  *actor.mutable_update_time() = actor.create_time();

  const double score = static_cast<double>(numeric_id);
  store::WriteSpec spec =
      ListedCreateSpec(ctx_, municipality, kActorCollection, id,
                       actor.SerializeAsString(), request_key, score);
  for (const auto& [field, value] : ActorIndexTerms(actor)) {
    spec.add_to_indexes.push_back(
        {ctx_.keys.Index(municipality, kActorCollection, field, value), score});
  }
  for (const auto& [field, name] : ReferencesOf(actor)) {
    spec.must_exist.push_back(
        ctx_.store.DocumentKey(municipality, kActorCollection, IdOf(name)));
    spec.add_to_indexes.push_back(
        {ctx_.keys.ActorReferences(municipality, IdOf(name), kActorCollection),
         score});
  }
  for (const std::string& key : DuplicateKeys(actor)) {
    spec.take_claims.push_back(
        {ctx_.keys.ActorDuplicateClaims(municipality), key});
  }
  spec.claims_advisory = options.allow_duplicate;
  if (actor.kind() == v1::ACTOR_KIND_NEWCOMER) {
    spec.event_trail = ctx_.keys.NewcomerEventTrail(municipality, id);
  }
  v1::ActorCreated payload;
  *payload.mutable_actor() = WithEtag(actor, 1);
  spec.event = events::MakeEvent(EventContextFor(principal, options.request_id),
                                 municipality, actor.name(), payload, now);

  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Create(spec));
  using Outcome = store::WriteResult::Outcome;
  switch (result.outcome) {
    case Outcome::kOk:
      return Disclose(WithEtag(actor, result.version),
                      ViewFor(principal, actor, false));
    case Outcome::kRequestReplayed:
      return Get(principal, ActorName(municipality, result.id));
    case Outcome::kDuplicate: {
      const std::string existing = ActorName(municipality, result.id);
      return ResourceExistsError(
          kResourceType, existing,
          absl::StrCat("a probable duplicate exists: ", existing,
                       " has the same kind, name and area; use it, or set "
                       "allow_duplicate to create another actor anyway"));
    }
    case Outcome::kMissing:
      return PreconditionError(
          "REFERENCE", result.key,
          "a referenced actor was deleted meanwhile; check actor.parent and "
          "actor.newcomer.caseworker and retry");
    default:
      return StoreOutcomeToStatus(result, kResourceType, actor.name());
  }
}

absl::StatusOr<v1::Actor> Actors::Get(const auth::Principal& principal,
                                      absl::string_view name) {
  ASSIGN_OR_RETURN(auto parts,
                   api::ParseResourceName(name, kActorPattern, "name"));
  const std::string& municipality = parts[0];
  const std::string& id = parts[1];
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(Loaded loaded, Load(municipality, id, name));
  ASSIGN_OR_RETURN(v1::DisclosureView view,
                   ViewOf(principal, municipality, id, loaded.actor));
  v1::Actor disclosed = Disclose(WithEtag(loaded.actor, loaded.version), view);
  RETURN_IF_ERROR(AuditReads(principal, municipality, "GetActor", {disclosed}));
  return disclosed;
}

absl::StatusOr<ActorPage> Actors::List(const auth::Principal& principal,
                                       absl::string_view municipality,
                                       int page_size, absl::string_view cursor,
                                       absl::string_view filter_text) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(ActorFilter filter, ParseActorFilter(filter_text));
  double after = 0;
  if (!cursor.empty()) after = IdScore(cursor);

  // Scan the smallest index that holds every match.
  std::string index = ctx_.keys.AllIndex(municipality, kActorCollection);
  const auto candidates = filter.IndexCandidates();
  if (!candidates.empty()) {
    std::vector<redis::Command> sizes;
    for (const auto& [field, value] : candidates) {
      sizes.push_back({"ZCARD", ctx_.keys.Index(municipality, kActorCollection,
                                                field, value)});
    }
    ASSIGN_OR_RETURN(auto replies, ctx_.pool.Pipeline(sizes));
    int64_t smallest = -1;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (smallest < 0 || replies[i].integer < smallest) {
        smallest = replies[i].integer;
        index = ctx_.keys.Index(municipality, kActorCollection,
                                candidates[i].first, candidates[i].second);
      }
    }
  }

  ActorPage page;
  const bool sees_newcomers_in_full = SeesNewcomersInFull(principal.role);
  int scanned = 0;
  // The first read fetches one page; later reads (when the filter skipped
  // actors) grow, so selective filters need few round trips.
  int batch = std::min(page_size, kMaxScanBatch);
  while (static_cast<int>(page.actors.size()) < page_size &&
         scanned < kMaxScannedPerList) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     ctx_.store.Scan(index, after, batch));
    if (ids.empty()) {
      page.next_cursor.clear();
      break;
    }
    ASSIGN_OR_RETURN(std::vector<v1::Actor> actors,
                     LoadMany(municipality, ids));
    std::set<std::string> granted;
    if (principal.role == auth::Role::kVolunteer) {
      std::vector<std::string> newcomer_ids;
      for (const v1::Actor& actor : actors) {
        if (actor.kind() == v1::ACTOR_KIND_NEWCOMER) {
          newcomer_ids.push_back(IdOf(actor.name()));
        }
      }
      ASSIGN_OR_RETURN(granted, grants_.GrantedAmong(municipality, newcomer_ids,
                                                     principal.subject));
    }
    // Actors deleted between the scan and the load are missing from
    // `actors`; the cursor still moves past their ids.
    size_t next_actor = 0;
    bool page_full = false;
    for (const std::string& id : ids) {
      after = IdScore(id);
      page.next_cursor = id;
      ++scanned;
      if (next_actor >= actors.size() ||
          IdOf(actors[next_actor].name()) != id) {
        continue;
      }
      const v1::Actor& actor = actors[next_actor++];
      if (!filter.Matches(actor)) continue;
      const v1::DisclosureView view =
          sees_newcomers_in_full
              ? ViewFor(principal, actor, false)
              : ViewFor(principal, actor, granted.contains(IdOf(actor.name())));
      if (view == v1::DISCLOSURE_VIEW_UNSPECIFIED) continue;
      page.actors.push_back(Disclose(actor, view));
      if (view == v1::DISCLOSURE_VIEW_REDACTED) page.actors.back().clear_etag();
      if (static_cast<int>(page.actors.size()) == page_size) {
        page_full = true;
        break;
      }
    }
    if (page_full) break;
    if (static_cast<int>(ids.size()) < batch) {
      page.next_cursor.clear();  // the index is exhausted
      break;
    }
    batch = std::min(batch * 2, kMaxScanBatch);
  }
  RETURN_IF_ERROR(
      AuditReads(principal, municipality, "ListActors", page.actors));
  return page;
}

absl::StatusOr<v1::Actor> Actors::Update(
    const auth::Principal& principal, const v1::Actor& patch,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(auto parts, api::ParseResourceName(
                                   patch.name(), kActorPattern, "actor.name"));
  const std::string& municipality = parts[0];
  const std::string& id = parts[1];
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(v1::Municipality tenant, municipalities_.Load(municipality));

  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Loaded current, Load(municipality, id, patch.name()));
    RETURN_IF_ERROR(CheckMayWrite(principal, current.actor, false));
    RETURN_IF_ERROR(store::CheckEtag(patch.etag(), current.version,
                                     patch.name(), "actor.etag"));
    v1::Actor updated = current.actor;
    RETURN_IF_ERROR(api::ApplyFieldMask(mask, patch, UpdateRules(), &updated));
    NormalizeActor(&updated);
    FieldViolations violations;
    ValidateActor(updated, municipality, tenant, "actor", &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    RETURN_IF_ERROR(CheckMayWrite(principal, updated, false));
    if (principal.role == auth::Role::kVolunteer &&
        updated.parent() != current.actor.parent()) {
      return PermissionDeniedError(
          "NOT_OWN_ORGANISATION",
          "a volunteer cannot move their profile to another organisation; "
          "ask the organisation's coordinator");
    }
    const auto old_references = ReferencesOf(current.actor);
    const auto new_references = ReferencesOf(updated);
    if (new_references != old_references) {
      RETURN_IF_ERROR(CheckReferences(municipality, updated));
    }

    const absl::Time now = absl::Now();
    StampConsent(&current.actor, now, &updated);
    *updated.mutable_update_time() = ToTimestamp(now);
    updated.clear_etag();
    updated.clear_view();

    store::WriteSpec spec =
        VersionedWriteSpec(municipality, kActorCollection, id, current.version);
    spec.data = updated.SerializeAsString();
    const double score = IdScore(id);
    const auto old_terms = ActorIndexTerms(current.actor);
    const auto new_terms = ActorIndexTerms(updated);
    for (const auto& term : old_terms) {
      if (!std::binary_search(new_terms.begin(), new_terms.end(), term)) {
        spec.remove_from_indexes.push_back(ctx_.keys.Index(
            municipality, kActorCollection, term.first, term.second));
      }
    }
    for (const auto& [field, value] : new_terms) {
      spec.add_to_indexes.push_back(
          {ctx_.keys.Index(municipality, kActorCollection, field, value),
           score});
    }
    for (const auto& [field, name] : old_references) {
      spec.remove_from_indexes.push_back(ctx_.keys.ActorReferences(
          municipality, IdOf(name), kActorCollection));
    }
    for (const auto& [field, name] : new_references) {
      spec.must_exist.push_back(
          ctx_.store.DocumentKey(municipality, kActorCollection, IdOf(name)));
      spec.add_to_indexes.push_back(
          {ctx_.keys.ActorReferences(municipality, IdOf(name),
                                     kActorCollection),
           score});
    }
    const std::string dupes = ctx_.keys.ActorDuplicateClaims(municipality);
    for (const std::string& key : DuplicateKeys(current.actor)) {
      spec.release_claims.push_back({dupes, key});
    }
    for (const std::string& key : DuplicateKeys(updated)) {
      spec.take_claims.push_back({dupes, key});
    }
    // Renames never fail on a look-alike; only creates ask for confirmation.
    spec.claims_advisory = true;
    if (updated.kind() == v1::ACTOR_KIND_NEWCOMER) {
      spec.event_trail = ctx_.keys.NewcomerEventTrail(municipality, id);
    }
    v1::ActorUpdated payload;
    *payload.mutable_actor() = WithEtag(updated, current.version + 1);
    *payload.mutable_update_mask() = mask;
    spec.event = events::MakeEvent(EventContextFor(principal), municipality,
                                   updated.name(), payload, now);

    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Update(spec));
    if (ShouldRetryWrite(result, patch.etag(), attempt)) {
      continue;  // someone else wrote in between; redo on the new version
    }
    if (result.outcome == store::WriteResult::Outcome::kMissing) {
      return PreconditionError(
          "REFERENCE", result.key,
          "a referenced actor was deleted meanwhile; check the references "
          "and retry");
    }
    RETURN_IF_ERROR(StoreOutcomeToStatus(result, kResourceType, patch.name()));
    return Disclose(WithEtag(updated, result.version),
                    ViewFor(principal, updated, false));
  }
}

std::string Actors::ReferrerName(absl::string_view municipality,
                                 absl::string_view id,
                                 const std::string& references_key,
                                 const std::string& referrer_id) const {
  static constexpr std::pair<const char*, const char*> kPaths[] = {
      {kActorCollection, "actors"},
      {kContactPointCollection, "contactPoints"},
      {kForumCollection, "forums"}};
  for (const auto& [collection, path] : kPaths) {
    if (references_key ==
        ctx_.keys.ActorReferences(municipality, id, collection)) {
      return absl::StrCat("municipalities/", municipality, "/", path, "/",
                          referrer_id);
    }
  }
  return MunicipalityName(municipality);  // as its coordinator
}

absl::Status Actors::Delete(const auth::Principal& principal,
                            absl::string_view name, absl::string_view etag) {
  ASSIGN_OR_RETURN(auto parts,
                   api::ParseResourceName(name, kActorPattern, "name"));
  const std::string& municipality = parts[0];
  const std::string& id = parts[1];
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Loaded current, Load(municipality, id, name));
    RETURN_IF_ERROR(CheckMayWrite(principal, current.actor, false));
    if (principal.role == auth::Role::kNgoApp &&
        current.actor.name() == principal.organisation) {
      return PermissionDeniedError(
          "OWN_ORGANISATION",
          "an NGO app cannot delete its own organisation; ask a coordinator");
    }
    RETURN_IF_ERROR(store::CheckEtag(etag, current.version, name, "etag"));

    store::WriteSpec spec =
        VersionedWriteSpec(municipality, kActorCollection, id, current.version);
    for (const char* collection : kReferencingCollections) {
      spec.must_be_empty.push_back(
          ctx_.keys.ActorReferences(municipality, id, collection));
    }
    spec.remove_from_indexes.push_back(
        ctx_.keys.AllIndex(municipality, kActorCollection));
    for (const auto& [field, value] : ActorIndexTerms(current.actor)) {
      spec.remove_from_indexes.push_back(
          ctx_.keys.Index(municipality, kActorCollection, field, value));
    }
    for (const auto& [field, reference] : ReferencesOf(current.actor)) {
      spec.remove_from_indexes.push_back(ctx_.keys.ActorReferences(
          municipality, IdOf(reference), kActorCollection));
    }
    for (const std::string& key : DuplicateKeys(current.actor)) {
      spec.release_claims.push_back(
          {ctx_.keys.ActorDuplicateClaims(municipality), key});
    }
    spec.also_delete.push_back(ctx_.keys.NewcomerGrants(municipality, id));
    spec.also_delete.push_back(
        ctx_.keys.NewcomerGrantMatches(municipality, id));

    const bool newcomer = current.actor.kind() == v1::ACTOR_KIND_NEWCOMER;
    if (newcomer) {
      // Earlier events carried the newcomer's profile: take them back too.
      spec.event_trail = ctx_.keys.NewcomerEventTrail(municipality, id);
      spec.erase_event_trail = true;
      v1::NewcomerErased payload;
      payload.set_name(std::string(name));
      spec.event = events::MakeEvent(EventContextFor(principal), municipality,
                                     name, payload);
    } else {
      v1::ActorDeleted payload;
      payload.set_name(std::string(name));
      payload.set_kind(current.actor.kind());
      spec.event = events::MakeEvent(EventContextFor(principal), municipality,
                                     name, payload);
    }
    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Delete(spec));
    if (result.outcome == store::WriteResult::Outcome::kNotEmpty) {
      // Name the first resource that still references the actor.
      std::string referrer = "another resource";
      ASSIGN_OR_RETURN(redis::Reply first,
                       ctx_.pool.Run({"ZRANGE", result.key, "0", "0"}));
      if (first.is_array() && !first.elements.empty()) {
        referrer =
            ReferrerName(municipality, id, result.key, first.elements[0].str);
      }
      return PreconditionError(
          "REFERENCED", name,
          absl::StrCat(name, " is still referenced by ", referrer,
                       " (as parent, caseworker, coordinator, member or "
                       "contact); change that first"));
    }
    if (ShouldRetryWrite(result, etag, attempt)) {
      continue;  // changed meanwhile; delete the new version
    }
    return StoreOutcomeToStatus(result, kResourceType, name);
  }
}

}  // namespace brobygger::registry
