#include "services/registry/municipalities.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/api/field_mask.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/text/fold.h"
#include "services/registry/actor_rules.h"
#include "services/registry/resource_io.h"

namespace brobygger::registry {
namespace {

constexpr char kResourceType[] = "brobygger.registry.v1.Municipality";
constexpr char kActorPattern[] = "municipalities/{municipality}/actors/{actor}";

void Validate(const v1::Municipality& municipality, absl::string_view id,
              FieldViolations* violations) {
  const int name_length = text::Utf8Length(municipality.display_name());
  if (name_length <= 0 || name_length > kMaxDisplayName) {
    violations->Add(
        "municipality.display_name",
        absl::StrCat("is required, at most ", kMaxDisplayName, " characters"));
  }
  if (municipality.areas_size() > kMaxMunicipalityAreas) {
    violations->Add("municipality.areas",
                    absl::StrCat("at most ", kMaxMunicipalityAreas, " areas"));
  }
  std::vector<std::string> folded;
  for (int i = 0; i < municipality.areas_size(); ++i) {
    const int length = text::Utf8Length(municipality.areas(i));
    const std::string field = absl::StrCat("municipality.areas[", i, "]");
    if (length <= 0 || length > kMaxAreaLength) {
      violations->Add(
          field, absl::StrCat("must be 1-", kMaxAreaLength, " characters"));
    }
    folded.push_back(text::FoldForSearch(municipality.areas(i)));
  }
  std::sort(folded.begin(), folded.end());
  if (std::adjacent_find(folded.begin(), folded.end()) != folded.end()) {
    violations->Add("municipality.areas",
                    "lists an area twice (ignoring case and accents)");
  }
  if (!municipality.coordinator().empty()) {
    auto parts = api::ParseResourceName(
        municipality.coordinator(), kActorPattern, "municipality.coordinator");
    if (!parts.ok() || (*parts)[0] != id) {
      violations->Add("municipality.coordinator",
                      "must be an actor of this municipality, e.g. "
                      "\"municipalities/" +
                          std::string(id) + "/actors/3\"");
    }
  }
  if (!municipality.time_zone().empty() &&
      municipality.time_zone() != "Europe/Copenhagen") {
    violations->Add("municipality.time_zone",
                    "only \"Europe/Copenhagen\" is supported");
  }
}

std::string CoordinatorId(const v1::Municipality& municipality) {
  return IdOf(municipality.coordinator());
}

}  // namespace

std::string MunicipalityName(absl::string_view id) {
  return absl::StrCat("municipalities/", id);
}

absl::StatusOr<v1::Municipality> Municipalities::Load(absl::string_view id,
                                                      int64_t* version) {
  ASSIGN_OR_RETURN(auto document, ctx_.store.Get(id, kMunicipalityCollection,
                                                 kMunicipalityDocumentId));
  if (!document.has_value()) {
    return ResourceNotFoundError(kResourceType, MunicipalityName(id));
  }
  v1::Municipality municipality;
  if (!municipality.ParseFromString(document->data)) {
    return absl::DataLossError("stored municipality does not parse");
  }
  municipality.set_etag(store::EtagOf(document->version));
  if (version != nullptr) *version = document->version;
  return municipality;
}

absl::StatusOr<v1::Municipality> Municipalities::Create(
    const auth::Principal& principal, const std::string& id,
    v1::Municipality municipality, const std::string& request_id) {
  FieldViolations violations;
  if (!api::IsValidMunicipalityId(id)) {
    violations.Add("municipality_id",
                   "must be 2-63 lowercase letters, digits or '-', starting "
                   "with a letter, e.g. \"aalborg\"");
  } else {
    Validate(municipality, id, &violations);
    if (!municipality.coordinator().empty()) {
      violations.Add("municipality.coordinator",
                     "cannot be set on create (the municipality has no actors "
                     "yet); set it with UpdateMunicipality");
    }
  }
  RETURN_IF_ERROR(violations.ToStatus());

  const absl::Time now = absl::Now();
  municipality.set_name(MunicipalityName(id));
  municipality.set_display_name(
      std::string(absl::StripAsciiWhitespace(municipality.display_name())));
  if (municipality.time_zone().empty()) {
    municipality.set_time_zone("Europe/Copenhagen");
  }
  *municipality.mutable_create_time() = ToTimestamp(now);
  *municipality.mutable_update_time() = municipality.create_time();
  municipality.clear_etag();

  v1::Municipality stored = municipality;
  v1::MunicipalityCreated payload;
  *payload.mutable_municipality() = municipality;
  payload.mutable_municipality()->set_etag(store::EtagOf(1));

  store::WriteSpec spec;
  spec.municipality = id;
  spec.collection = kMunicipalityCollection;
  spec.id = kMunicipalityDocumentId;
  spec.data = stored.SerializeAsString();
  if (!request_id.empty()) {
    spec.request_key =
        ctx_.keys.Request(id, kMunicipalityCollection, request_id);
  }
  spec.event = events::MakeEvent(EventContextFor(principal, request_id), id,
                                 municipality.name(), payload, now);
  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Create(spec));
  if (result.outcome == store::WriteResult::Outcome::kAlreadyExists) {
    return ResourceExistsError(kResourceType, municipality.name(),
                               absl::StrCat(municipality.name(),
                                            " already exists; get it or "
                                            "choose another id"));
  }
  RETURN_IF_ERROR(
      StoreOutcomeToStatus(result, kResourceType, municipality.name()));
  // The tenant list lives under its own hash tag, so it is updated after
  // the municipality; a retry with the same request_id repairs a crash in
  // between.
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"ZADD", ctx_.keys.MunicipalityIds(), "0", id}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  return Load(id);
}

absl::StatusOr<v1::Municipality> Municipalities::Get(
    const auth::Principal& principal, absl::string_view id) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, id));
  return Load(id);
}

absl::StatusOr<MunicipalityPage> Municipalities::List(
    const auth::Principal& principal, int page_size, absl::string_view cursor) {
  MunicipalityPage page;
  std::vector<std::string> ids;
  if (principal.all_municipalities()) {
    const std::string lower = cursor.empty() ? "-" : absl::StrCat("(", cursor);
    ASSIGN_OR_RETURN(
        redis::Reply reply,
        ctx_.pool.Run({"ZRANGEBYLEX", ctx_.keys.MunicipalityIds(), lower, "+",
                       "LIMIT", "0", absl::StrCat(page_size + 1)}));
    for (const redis::Reply& element : reply.elements) {
      ids.push_back(element.str);
    }
  } else {
    ids = principal.municipalities;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::remove_if(ids.begin(), ids.end(),
                             [&](const std::string& id) {
                               return !cursor.empty() && id <= cursor;
                             }),
              ids.end());
    if (static_cast<int>(ids.size()) > page_size + 1) ids.resize(page_size + 1);
  }
  const bool more = static_cast<int>(ids.size()) > page_size;
  if (more) ids.resize(page_size);
  for (const std::string& id : ids) {
    auto municipality = Load(id);
    if (absl::IsNotFound(municipality.status())) continue;
    if (!municipality.ok()) return municipality.status();
    page.municipalities.push_back(*std::move(municipality));
  }
  if (more && !ids.empty()) page.next_cursor = ids.back();
  return page;
}

absl::StatusOr<v1::Municipality> Municipalities::Update(
    const auth::Principal& principal, const v1::Municipality& patch,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(
      auto parts,
      api::ParseResourceName(patch.name(), "municipalities/{municipality}",
                             "municipality.name"));
  const std::string& id = parts[0];
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, id));
  int64_t version = 0;
  ASSIGN_OR_RETURN(v1::Municipality current, Load(id, &version));
  RETURN_IF_ERROR(store::CheckEtag(patch.etag(), version, current.name(),
                                   "municipality.etag"));
  v1::Municipality updated = current;
  RETURN_IF_ERROR(api::ApplyFieldMask(
      mask, patch,
      {.output_only = {"name", "etag", "create_time", "update_time"},
       .immutable = {"time_zone"}},
      &updated));
  FieldViolations violations;
  Validate(updated, id, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const absl::Time now = absl::Now();
  *updated.mutable_update_time() = ToTimestamp(now);
  updated.clear_etag();

  store::WriteSpec spec = VersionedWriteSpec(id, kMunicipalityCollection,
                                             kMunicipalityDocumentId, version);
  spec.data = updated.SerializeAsString();
  const std::string old_coordinator = CoordinatorId(current);
  const std::string new_coordinator = CoordinatorId(updated);
  if (old_coordinator != new_coordinator) {
    if (!old_coordinator.empty()) {
      spec.remove_from_indexes.push_back(ctx_.keys.ActorReferences(
          id, old_coordinator, kMunicipalityCollection));
    }
    if (!new_coordinator.empty()) {
      spec.must_exist.push_back(
          ctx_.store.DocumentKey(id, kActorCollection, new_coordinator));
      spec.add_to_indexes.push_back(
          {ctx_.keys.ActorReferences(id, new_coordinator,
                                     kMunicipalityCollection),
           0});
    }
  }
  v1::MunicipalityUpdated payload;
  *payload.mutable_municipality() = updated;
  payload.mutable_municipality()->set_etag(store::EtagOf(version + 1));
  *payload.mutable_update_mask() = mask;
  spec.event = events::MakeEvent(EventContextFor(principal), id, updated.name(),
                                 payload, now);
  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Update(spec));
  if (result.outcome == store::WriteResult::Outcome::kMissing) {
    return InvalidFieldError(
        "municipality.coordinator",
        absl::StrCat(updated.coordinator(), " does not exist"));
  }
  RETURN_IF_ERROR(StoreOutcomeToStatus(result, kResourceType, updated.name()));
  return Load(id);
}

absl::Status Municipalities::Delete(const auth::Principal& principal,
                                    absl::string_view id,
                                    absl::string_view etag) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, id));
  int64_t version = 0;
  ASSIGN_OR_RETURN(v1::Municipality current, Load(id, &version));
  RETURN_IF_ERROR(store::CheckEtag(etag, version, current.name(), "etag"));
  store::WriteSpec spec = VersionedWriteSpec(id, kMunicipalityCollection,
                                             kMunicipalityDocumentId, version);
  spec.must_be_empty = {
      ctx_.keys.AllIndex(id, kActorCollection),
      ctx_.keys.AllIndex(id, kContactPointCollection),
      ctx_.keys.AllIndex(id, kForumCollection),
  };
  const std::string coordinator = CoordinatorId(current);
  if (!coordinator.empty()) {
    spec.remove_from_indexes.push_back(
        ctx_.keys.ActorReferences(id, coordinator, kMunicipalityCollection));
  }
  v1::MunicipalityDeleted payload;
  payload.set_name(current.name());
  spec.event = events::MakeEvent(EventContextFor(principal), id, current.name(),
                                 payload);
  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Delete(spec));
  if (result.outcome == store::WriteResult::Outcome::kNotEmpty) {
    return PreconditionError(
        "NOT_EMPTY", current.name(),
        absl::StrCat(current.name(),
                     " still has actors, contact points or fora; delete them "
                     "first"));
  }
  RETURN_IF_ERROR(StoreOutcomeToStatus(result, kResourceType, current.name()));
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"ZREM", ctx_.keys.MunicipalityIds(), std::string(id)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  return absl::OkStatus();
}

}  // namespace brobygger::registry
