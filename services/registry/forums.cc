#include "services/registry/forums.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/api/field_mask.h"
#include "common/api/filter.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/index_page.h"
#include "google/protobuf/util/time_util.h"
#include "services/registry/actor_rules.h"
#include "services/registry/record_rules.h"
#include "services/registry/resource_io.h"

namespace brobygger::registry {
namespace {

using google::protobuf::util::TimeUtil;

// How refusals name what this file keeps.
constexpr char kRecords[] = "fora";
constexpr char kResourceType[] = "brobygger.registry.v1.Forum";
constexpr char kForumPattern[] = "municipalities/{municipality}/forums/{forum}";
constexpr char kActorPattern[] = "municipalities/{municipality}/actors/{actor}";
constexpr int kMaxScannedPerList = 5000;

const api::FieldMaskRules& UpdateRules() {
  static const auto* rules = new api::FieldMaskRules{
      .output_only = {"name", "state", "dissolve_time", "representation",
                      "etag", "create_time", "update_time"},
      .immutable = {"kind"}};
  return *rules;
}

v1::Forum WithEtag(v1::Forum forum, int64_t version) {
  forum.set_etag(store::EtagOf(version));
  return forum;
}

void TrimInPlace(std::string* text) {
  *text = std::string(absl::StripAsciiWhitespace(*text));
}

// "WORKING_GROUP" for FORUM_KIND_WORKING_GROUP, as in filters and indexes.
std::string KindName(v1::ForumKind kind) {
  return std::string(
      absl::StripPrefix(v1::ForumKind_Name(kind), "FORUM_KIND_"));
}

std::string StateName(v1::Forum::State state) {
  return std::string(absl::StripPrefix(v1::Forum::State_Name(state), "STATE_"));
}

void CheckActorName(const std::string& name, absl::string_view municipality,
                    const std::string& field, FieldViolations* violations) {
  auto parts = api::ParseResourceName(name, kActorPattern, field);
  if (!parts.ok() || (*parts)[0] != municipality) {
    violations->Add(field,
                    absl::StrCat("must be an actor of this "
                                 "municipality, e.g. "
                                 "\"municipalities/",
                                 std::string(municipality), "/actors/12\""));
  }
}

// Clears what clients cannot set (sectors are derived) and trims text.
void Normalize(v1::Forum* forum) {
  TrimInPlace(forum->mutable_display_name());
  TrimInPlace(forum->mutable_coordinator());
  v1::TermsOfReference* terms = forum->mutable_terms_of_reference();
  TrimInPlace(terms->mutable_purpose());
  for (std::string& task : *terms->mutable_tasks()) TrimInPlace(&task);
  TrimInPlace(terms->mutable_decision_mandate());
  TrimInPlace(terms->mutable_composition());
  TrimInPlace(terms->mutable_meeting_frequency());
  for (v1::ForumMember& member : *forum->mutable_members()) {
    TrimInPlace(member.mutable_actor());
    TrimInPlace(member.mutable_role());
    member.clear_sector();
  }
}

void Validate(const v1::Forum& forum, absl::string_view municipality,
              FieldViolations* violations) {
  if (forum.kind() == v1::FORUM_KIND_UNSPECIFIED ||
      !v1::ForumKind_IsValid(forum.kind())) {
    violations->Add("forum.kind",
                    "is required: COORDINATION_FORUM, NETWORK_GROUP or "
                    "WORKING_GROUP");
  }
  CheckText(forum.display_name(), kMaxDisplayName, true, "forum.display_name",
            "the forum's name, e.g. \"Styregruppen for frivillighed\"",
            violations);
  const v1::TermsOfReference& terms = forum.terms_of_reference();
  const std::string prefix = "forum.terms_of_reference";
  CheckText(terms.purpose(), kMaxPurpose, true, prefix + ".purpose",
            "why the forum exists, in a sentence or two", violations);
  if (terms.tasks_size() > kMaxTasks) {
    violations->Add(prefix + ".tasks",
                    absl::StrCat("at most ", kMaxTasks, " tasks (has ",
                                 terms.tasks_size(), ")"));
  } else {
    for (int i = 0; i < terms.tasks_size(); ++i) {
      CheckText(terms.tasks(i), kMaxTaskLength, true,
                absl::StrCat(prefix, ".tasks[", i, "]"),
                "a task in words (remove empty entries)", violations);
    }
  }
  CheckText(terms.decision_mandate(), kMaxTermsText, false,
            prefix + ".decision_mandate", "", violations);
  CheckText(terms.composition(), kMaxTermsText, false, prefix + ".composition",
            "", violations);
  CheckText(terms.meeting_frequency(), kMaxTermsText, false,
            prefix + ".meeting_frequency", "", violations);
  if (terms.has_meeting_time()) {
    ValidateWeeklyWindow(terms.meeting_time(), prefix + ".meeting_time",
                         violations);
  }
  if (!forum.coordinator().empty()) {
    CheckActorName(forum.coordinator(), municipality, "forum.coordinator",
                   violations);
  }
  if (forum.members_size() > kMaxForumMembers) {
    violations->Add("forum.members",
                    absl::StrCat("at most ", kMaxForumMembers, " members (has ",
                                 forum.members_size(), ")"));
    return;
  }
  std::map<std::string, int> seen;
  for (int i = 0; i < forum.members_size(); ++i) {
    const v1::ForumMember& member = forum.members(i);
    const std::string field = absl::StrCat("forum.members[", i, "]");
    if (member.actor().empty()) {
      violations->Add(field + ".actor", "is required: the member's actor name");
    } else {
      CheckActorName(member.actor(), municipality, field + ".actor",
                     violations);
      auto [it, inserted] = seen.emplace(member.actor(), i);
      if (!inserted) {
        violations->Add(
            field + ".actor",
            absl::StrCat(member.actor(), " is already listed as forum.members[",
                         it->second, "]"));
      }
    }
    CheckText(member.role(), kMaxMemberRole, false, field + ".role", "",
              violations);
  }
}

// The actors a forum references (coordinator and members), distinct.
std::set<std::string> ReferencedActors(const v1::Forum& forum) {
  std::set<std::string> names;
  if (!forum.coordinator().empty()) names.insert(forum.coordinator());
  for (const v1::ForumMember& member : forum.members()) {
    names.insert(member.actor());
  }
  return names;
}

// The sorted sets a forum is listed in besides the all-index: its kind, its
// state, and the references of its actors (which also serve the member
// filter).
std::vector<std::string> IndexKeys(const RegistryKeys& keys,
                                   absl::string_view municipality,
                                   const v1::Forum& forum) {
  std::vector<std::string> result;
  result.push_back(keys.Index(municipality, kForumCollection, "kind",
                              KindName(forum.kind())));
  result.push_back(keys.Index(municipality, kForumCollection, "state",
                              StateName(forum.state())));
  for (const std::string& actor : ReferencedActors(forum)) {
    result.push_back(
        keys.ActorReferences(municipality, IdOf(actor), kForumCollection));
  }
  return result;
}

// Index entries, references and the existence of the referenced actors.
void AddIndexes(const RegistryContext& ctx, absl::string_view municipality,
                const v1::Forum& forum, double score, store::WriteSpec* spec) {
  for (std::string& key : IndexKeys(ctx.keys, municipality, forum)) {
    spec->add_to_indexes.push_back({std::move(key), score});
  }
  for (const std::string& actor : ReferencedActors(forum)) {
    spec->must_exist.push_back(
        ctx.store.DocumentKey(municipality, kActorCollection, IdOf(actor)));
  }
}

std::string DateOf(const google::protobuf::Timestamp& time) {
  return TimeUtil::ToString(time).substr(0, 10);
}

absl::Status DissolvedError(const v1::Forum& forum) {
  return PreconditionError(
      "DISSOLVED", forum.name(),
      absl::StrCat(forum.name(), " was dissolved on ",
                   DateOf(forum.dissolve_time()),
                   "; a dissolved working group is kept as a record and no "
                   "longer changes: create a new working group, or delete "
                   "this one"));
}

struct ForumFilter {
  std::optional<v1::ForumKind> kind;
  std::optional<v1::Forum::State> state;
  std::optional<std::string> member;  // actor name

  bool Matches(const v1::Forum& forum) const {
    if (kind && forum.kind() != *kind) return false;
    if (state && forum.state() != *state) return false;
    if (member && std::none_of(forum.members().begin(), forum.members().end(),
                               [&](const v1::ForumMember& candidate) {
                                 return candidate.actor() == *member;
                               })) {
      return false;
    }
    return true;
  }
};

absl::StatusOr<ForumFilter> ParseForumFilter(absl::string_view text,
                                             absl::string_view municipality) {
  ASSIGN_OR_RETURN(std::vector<api::Restriction> restrictions,
                   api::ParseFilter(std::string(text)));
  ForumFilter filter;
  auto twice = [](const std::string& field) {
    return InvalidFieldError(
        "filter", absl::StrCat(field, " is restricted twice; give it once"));
  };
  for (const api::Restriction& restriction : restrictions) {
    const std::string upper = absl::AsciiStrToUpper(restriction.value);
    if (restriction.field == "kind") {
      if (filter.kind) return twice("kind");
      v1::ForumKind kind;
      if ((!v1::ForumKind_Parse(upper, &kind) &&
           !v1::ForumKind_Parse("FORUM_KIND_" + upper, &kind)) ||
          kind == v1::FORUM_KIND_UNSPECIFIED) {
        return InvalidFieldError(
            "filter",
            "kind: must be COORDINATION_FORUM, NETWORK_GROUP or "
            "WORKING_GROUP");
      }
      filter.kind = kind;
    } else if (restriction.field == "state") {
      if (filter.state) return twice("state");
      v1::Forum::State state;
      if ((!v1::Forum::State_Parse(upper, &state) &&
           !v1::Forum::State_Parse("STATE_" + upper, &state)) ||
          state == v1::Forum::STATE_UNSPECIFIED) {
        return InvalidFieldError("filter",
                                 "state: must be ACTIVE or DISSOLVED");
      }
      filter.state = state;
    } else if (restriction.field == "member") {
      if (filter.member) return twice("member");
      const std::string value(absl::StripAsciiWhitespace(restriction.value));
      auto parts = api::ParseResourceName(value, kActorPattern, "filter");
      if (!parts.ok() || (*parts)[0] != municipality) {
        return InvalidFieldError(
            "filter", absl::StrCat("member: must be an actor of this "
                                   "municipality, e.g. \"municipalities/",
                                   std::string(municipality), "/actors/12\""));
      }
      filter.member = value;
    } else {
      return InvalidFieldError(
          "filter", absl::StrCat("unknown field \"", restriction.field,
                                 "\"; fora are filtered by kind, state and "
                                 "member"));
    }
  }
  return filter;
}

}  // namespace

std::string ForumName(absl::string_view municipality, absl::string_view id) {
  return absl::StrCat("municipalities/", std::string(municipality), "/forums/",
                      std::string(id));
}

absl::StatusOr<Forums::Loaded> Forums::Load(absl::string_view municipality,
                                            absl::string_view id,
                                            absl::string_view name) {
  ASSIGN_OR_RETURN(
      Versioned<v1::Forum> loaded,
      LoadResource<v1::Forum>(ctx_.store, municipality, kForumCollection, id,
                              name, kResourceType, "forum"));
  return Loaded{std::move(loaded.resource), loaded.version};
}

absl::Status Forums::ResolveMembers(absl::string_view municipality,
                                    v1::Forum* forum) {
  const std::set<std::string> names = ReferencedActors(*forum);
  std::vector<std::string> ids;
  for (const std::string& name : names) ids.push_back(IdOf(name));
  ASSIGN_OR_RETURN(std::vector<v1::Actor> found,
                   actors_.LoadMany(municipality, ids));
  std::map<std::string, v1::ActorKind> kinds;
  for (const v1::Actor& actor : found) kinds[actor.name()] = actor.kind();

  FieldViolations violations;
  auto check = [&](const std::string& name, const std::string& field,
                   absl::string_view role) -> std::optional<v1::ActorKind> {
    auto it = kinds.find(name);
    if (it == kinds.end()) {
      violations.Add(field, absl::StrCat(name, " does not exist"));
      return std::nullopt;
    }
    if (it->second == v1::ACTOR_KIND_NEWCOMER) {
      violations.Add(
          field,
          absl::StrCat(name,
                       " is a newcomer; newcomers' personal data is not "
                       "shared in fora, so they cannot be ",
                       std::string(role),
                       " (a former refugee can take part as a volunteer)"));
      return std::nullopt;
    }
    return it->second;
  };
  if (!forum->coordinator().empty()) {
    check(forum->coordinator(), "forum.coordinator", "its coordinator");
  }
  for (int i = 0; i < forum->members_size(); ++i) {
    v1::ForumMember* member = forum->mutable_members(i);
    const auto kind =
        check(member->actor(), absl::StrCat("forum.members[", i, "].actor"),
              "members");
    if (kind) member->set_sector(SectorOf(*kind));
  }
  return violations.ToStatus();
}

absl::StatusOr<v1::Forum> Forums::Create(const auth::Principal& principal,
                                         absl::string_view municipality,
                                         v1::Forum forum,
                                         const std::string& request_id) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(RequireEditor(principal, kRecords));
  RETURN_IF_ERROR(municipalities_.Load(municipality).status());
  forum.clear_name();
  forum.clear_state();
  forum.clear_dissolve_time();
  forum.clear_representation();
  forum.clear_etag();
  forum.clear_create_time();
  forum.clear_update_time();
  Normalize(&forum);
  FieldViolations violations;
  Validate(forum, municipality, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  std::string request_key;
  ASSIGN_OR_RETURN(std::optional<std::string> previous,
                   EarlierCreate(ctx_, municipality, kForumCollection,
                                 request_id, &request_key));
  if (previous.has_value()) {
    return Get(principal, ForumName(municipality, *previous));
  }
  RETURN_IF_ERROR(ResolveMembers(municipality, &forum));

  const absl::Time now = absl::Now();
  ASSIGN_OR_RETURN(int64_t numeric_id,
                   ctx_.store.NextId(municipality, kForumCollection));
  const std::string id = absl::StrCat(numeric_id);
  forum.set_name(ForumName(municipality, id));
  forum.set_state(v1::Forum::STATE_ACTIVE);
  *forum.mutable_representation() = ComputeRepresentation(forum);
  *forum.mutable_create_time() = ToTimestamp(now);
  *forum.mutable_update_time() = forum.create_time();

  const double score = static_cast<double>(numeric_id);
  store::WriteSpec spec =
      ListedCreateSpec(ctx_, municipality, kForumCollection, id,
                       forum.SerializeAsString(), request_key, score);
  AddIndexes(ctx_, municipality, forum, score, &spec);
  v1::ForumCreated payload;
  *payload.mutable_forum() = WithEtag(forum, 1);
  spec.event = events::MakeEvent(EventContextFor(principal, request_id),
                                 municipality, forum.name(), payload, now);

  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Create(spec));
  using Outcome = store::WriteResult::Outcome;
  switch (result.outcome) {
    case Outcome::kOk:
      return WithEtag(forum, result.version);
    case Outcome::kRequestReplayed:
      return Get(principal, ForumName(municipality, result.id));
    case Outcome::kMissing:
      return PreconditionError(
          "REFERENCE", result.key,
          "a member or the coordinator was deleted meanwhile; check "
          "forum.members and forum.coordinator and retry");
    default:
      return StoreOutcomeToStatus(result, kResourceType, forum.name());
  }
}

absl::StatusOr<v1::Forum> Forums::Get(const auth::Principal& principal,
                                      absl::string_view name) {
  ASSIGN_OR_RETURN(auto parts,
                   api::ParseResourceName(name, kForumPattern, "name"));
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, parts[0]));
  ASSIGN_OR_RETURN(Loaded loaded, Load(parts[0], parts[1], name));
  return WithEtag(std::move(loaded.forum), loaded.version);
}

absl::StatusOr<ForumPage> Forums::List(const auth::Principal& principal,
                                       absl::string_view municipality,
                                       int page_size, absl::string_view cursor,
                                       absl::string_view filter_text) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(ForumFilter filter,
                   ParseForumFilter(filter_text, municipality));
  std::vector<std::string> candidates;
  if (filter.kind) {
    candidates.push_back(ctx_.keys.Index(municipality, kForumCollection, "kind",
                                         KindName(*filter.kind)));
  }
  if (filter.state) {
    candidates.push_back(ctx_.keys.Index(municipality, kForumCollection,
                                         "state", StateName(*filter.state)));
  }
  if (filter.member) {
    // Every forum the actor takes part in (as member or coordinator).
    candidates.push_back(ctx_.keys.ActorReferences(
        municipality, IdOf(*filter.member), kForumCollection));
  }
  ASSIGN_OR_RETURN(
      std::string index,
      store::SmallestIndex(ctx_.pool,
                    ctx_.keys.AllIndex(municipality, kForumCollection),
                    candidates));
  ASSIGN_OR_RETURN(
      store::IndexPage<v1::Forum> page,
      store::ScanIndexPage<v1::Forum>(
          ctx_.store, municipality, kForumCollection, index, page_size, cursor,
          kMaxScannedPerList,
          [&](const v1::Forum& forum) { return filter.Matches(forum); }));
  return ForumPage{std::move(page.items), std::move(page.next_cursor)};
}

absl::StatusOr<v1::Forum> Forums::Update(
    const auth::Principal& principal, const v1::Forum& patch,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(auto parts, api::ParseResourceName(
                                   patch.name(), kForumPattern, "forum.name"));
  const std::string& municipality = parts[0];
  const std::string& id = parts[1];
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(RequireEditor(principal, kRecords));

  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Loaded current, Load(municipality, id, patch.name()));
    RETURN_IF_ERROR(store::CheckEtag(patch.etag(), current.version,
                                     patch.name(), "forum.etag"));
    if (current.forum.state() == v1::Forum::STATE_DISSOLVED) {
      return DissolvedError(current.forum);
    }
    v1::Forum updated = current.forum;
    RETURN_IF_ERROR(api::ApplyFieldMask(mask, patch, UpdateRules(), &updated));
    Normalize(&updated);
    FieldViolations violations;
    Validate(updated, municipality, &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    RETURN_IF_ERROR(ResolveMembers(municipality, &updated));

    const absl::Time now = absl::Now();
    *updated.mutable_representation() = ComputeRepresentation(updated);
    *updated.mutable_update_time() = ToTimestamp(now);
    updated.clear_etag();

    store::WriteSpec spec =
        VersionedWriteSpec(municipality, kForumCollection, id, current.version);
    spec.data = updated.SerializeAsString();
    // The script removes before it adds, so keys in both lists stay.
    spec.remove_from_indexes =
        IndexKeys(ctx_.keys, municipality, current.forum);
    AddIndexes(ctx_, municipality, updated, IdScore(id), &spec);
    v1::ForumUpdated payload;
    *payload.mutable_forum() = WithEtag(updated, current.version + 1);
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
          "a member or the coordinator was deleted meanwhile; check "
          "forum.members and forum.coordinator and retry");
    }
    RETURN_IF_ERROR(StoreOutcomeToStatus(result, kResourceType, patch.name()));
    return WithEtag(updated, result.version);
  }
}

absl::Status Forums::Delete(const auth::Principal& principal,
                            absl::string_view name, absl::string_view etag) {
  ASSIGN_OR_RETURN(auto parts,
                   api::ParseResourceName(name, kForumPattern, "name"));
  const std::string& municipality = parts[0];
  const std::string& id = parts[1];
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(RequireEditor(principal, kRecords));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Loaded current, Load(municipality, id, name));
    RETURN_IF_ERROR(store::CheckEtag(etag, current.version, name, "etag"));
    store::WriteSpec spec = ListedDeleteSpec<v1::ForumDeleted>(
        ctx_, principal, municipality, kForumCollection, id, name,
        current.version, IndexKeys(ctx_.keys, municipality, current.forum));
    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Delete(spec));
    if (ShouldRetryWrite(result, etag, attempt)) {
      continue;  // changed meanwhile; delete the new version
    }
    return StoreOutcomeToStatus(result, kResourceType, name);
  }
}

absl::StatusOr<v1::Forum> Forums::Dissolve(const auth::Principal& principal,
                                           absl::string_view name,
                                           absl::string_view etag) {
  ASSIGN_OR_RETURN(auto parts,
                   api::ParseResourceName(name, kForumPattern, "name"));
  const std::string& municipality = parts[0];
  const std::string& id = parts[1];
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(RequireEditor(principal, kRecords));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Loaded current, Load(municipality, id, name));
    RETURN_IF_ERROR(store::CheckEtag(etag, current.version, name, "etag"));
    if (current.forum.kind() != v1::FORUM_KIND_WORKING_GROUP) {
      return PreconditionError(
          "FORUM_KIND", name,
          absl::StrCat(std::string(name), " is a ",
                       KindName(current.forum.kind()),
                       "; only working groups are dissolved when their task "
                       "is done. Coordination forums and network groups are "
                       "permanent structures: delete them instead"));
    }
    if (current.forum.state() != v1::Forum::STATE_ACTIVE) {
      return DissolvedError(current.forum);
    }
    const absl::Time now = absl::Now();
    v1::Forum dissolved = current.forum;
    dissolved.set_state(v1::Forum::STATE_DISSOLVED);
    *dissolved.mutable_dissolve_time() = ToTimestamp(now);
    *dissolved.mutable_update_time() = dissolved.dissolve_time();

    store::WriteSpec spec =
        VersionedWriteSpec(municipality, kForumCollection, id, current.version);
    spec.data = dissolved.SerializeAsString();
    // Members stay referenced: the dissolved group remains a record of who
    // took part, and its names must not dangle.
    spec.remove_from_indexes =
        IndexKeys(ctx_.keys, municipality, current.forum);
    AddIndexes(ctx_, municipality, dissolved, IdScore(id), &spec);
    spec.must_exist.clear();  // references are unchanged
    v1::ForumDissolved payload;
    *payload.mutable_forum() = WithEtag(dissolved, current.version + 1);
    spec.event = events::MakeEvent(EventContextFor(principal), municipality,
                                   name, payload, now);
    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Update(spec));
    if (ShouldRetryWrite(result, etag, attempt)) {
      continue;
    }
    RETURN_IF_ERROR(StoreOutcomeToStatus(result, kResourceType, name));
    return WithEtag(dissolved, result.version);
  }
}

}  // namespace brobygger::registry
