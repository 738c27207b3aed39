#include "services/matching/volunteer_requests.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "brobygger/matching/v1/events.pb.h"
#include "common/api/field_mask.h"
#include "common/api/filter.h"
#include "common/api/pagination.h"
#include "common/api/request_id.h"
#include "common/api/resource_name.h"
#include "common/events/event_bus.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/index_page.h"
#include "services/matching/match_access.h"
#include "services/matching/matching_names.h"
#include "services/matching/request_rules.h"

namespace brobygger::matching {
namespace {

// A List call examines at most this many requests (then returns a shorter
// page with a token to go on).
constexpr int kMaxScannedPerPage = 5000;

struct RequestFilter {
  v1::VolunteerRequest::State state = v1::VolunteerRequest::STATE_UNSPECIFIED;
  v1::MatchKind kind = v1::MATCH_KIND_UNSPECIFIED;
  std::string newcomer;
};

absl::StatusOr<RequestFilter> CompileFilter(absl::string_view text) {
  ASSIGN_OR_RETURN(std::vector<api::Restriction> restrictions,
                   api::ParseFilter(text));
  RequestFilter filter;
  for (const api::Restriction& r : restrictions) {
    if (r.op != "=") {
      return InvalidFieldError("filter", "supports only `field = value`");
    }
    if (r.field == "state") {
      if (!v1::VolunteerRequest::State_Parse(absl::StrCat("STATE_", r.value),
                                             &filter.state)) {
        return InvalidFieldError(
            "filter",
            "state must be OPEN, PROPOSED, MATCHED, CANCELLED or "
            "COMPLETED");
      }
    } else if (r.field == "kind") {
      if (!v1::MatchKind_Parse(absl::StrCat("MATCH_KIND_", r.value),
                               &filter.kind)) {
        return InvalidFieldError(
            "filter",
            "kind must be RECEPTION_BUDDY, MENTOR, NETWORK_FAMILY, "
            "FRIENDSHIP_FAMILY or LOCAL_WELCOME_CONTACT");
      }
    } else if (r.field == "newcomer") {
      filter.newcomer = r.value;
    } else {
      return InvalidFieldError("filter",
                               absl::StrCat("cannot filter on `", r.field,
                                            "`; use state, kind or newcomer"));
    }
  }
  return filter;
}

bool Matches(const RequestFilter& filter, const v1::VolunteerRequest& request) {
  return (filter.state == v1::VolunteerRequest::STATE_UNSPECIFIED ||
          request.state() == filter.state) &&
         (filter.kind == v1::MATCH_KIND_UNSPECIFIED ||
          request.kind() == filter.kind) &&
         (filter.newcomer.empty() || request.newcomer() == filter.newcomer);
}

}  // namespace

v1::VolunteerRequest WithEtag(const StoredRequest& stored) {
  v1::VolunteerRequest out = stored.resource;
  out.set_etag(store::EtagOf(stored.version));
  return out;
}

absl::StatusOr<registry::v1::Actor> VolunteerRequests::ConsentingNewcomer(
    absl::string_view municipality, absl::string_view newcomer_name) {
  ASSIGN_OR_RETURN(
      std::optional<registry::v1::Actor> newcomer,
      projection_.FindNewcomer(municipality, store::IdOf(newcomer_name)));
  if (!newcomer.has_value()) {
    return PreconditionError(
        "NEWCOMER", newcomer_name,
        "matching knows no such newcomer: the registry erased them, or "
        "registered them moments ago and matching has not learnt it yet "
        "(retry in a few seconds)");
  }
  if (!newcomer->newcomer().consent().volunteer_contact()) {
    return PreconditionError(
        "CONSENT", newcomer_name,
        "the newcomer has not consented to be contacted by a volunteer; "
        "record their consent in the registry first (consent comes first)");
  }
  return *std::move(newcomer);
}

absl::StatusOr<v1::VolunteerRequest> VolunteerRequests::Create(
    const auth::Principal& principal, absl::string_view municipality,
    v1::VolunteerRequest request, absl::string_view request_id) {
  RETURN_IF_ERROR(RequireStaff(principal, municipality));
  RETURN_IF_ERROR(api::ValidateRequestId(request_id));
  FieldViolations violations;
  auto newcomer_id = ParseActorId(request.newcomer(), municipality,
                                  "volunteer_request.newcomer");
  if (!newcomer_id.ok()) {
    for (auto& v : FieldViolationsOf(newcomer_id.status())) {
      violations.Add(v.field, v.description);
    }
  }
  if (request.kind() == v1::MATCH_KIND_UNSPECIFIED ||
      !v1::MatchKind_IsValid(request.kind())) {
    violations.Add("volunteer_request.kind",
                   "is required: RECEPTION_BUDDY, MENTOR, NETWORK_FAMILY, "
                   "FRIENDSHIP_FAMILY or LOCAL_WELCOME_CONTACT");
  }
  NormalizeRequest(&request);
  CheckRequestFields(request, "volunteer_request", &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string idempotency_key =
      request_id.empty()
          ? ""
          : ctx_.keys.Request(municipality, kRequestCollection, request_id);
  if (!idempotency_key.empty()) {
    ASSIGN_OR_RETURN(std::optional<std::string> replayed,
                     store_.Replayed(idempotency_key));
    if (replayed.has_value()) {
      ASSIGN_OR_RETURN(StoredRequest stored,
                       store_.LoadRequest(municipality, *replayed));
      return WithEtag(stored);
    }
  }
  ASSIGN_OR_RETURN(registry::v1::Actor newcomer,
                   ConsentingNewcomer(municipality, request.newcomer()));
  DefaultWishes(newcomer, &request);

  ASSIGN_OR_RETURN(std::string id, store_.NextRequestId(municipality));
  const auto now = store::ToTimestamp(absl::Now());
  request.set_name(VolunteerRequestName(municipality, id));
  request.set_state(v1::VolunteerRequest::STATE_OPEN);
  request.clear_current_match();
  request.clear_passed_volunteers();
  request.clear_cancel_reason();
  request.clear_etag();
  *request.mutable_create_time() = now;
  *request.mutable_update_time() = now;

  MatchWrite write = store_.Write(municipality);
  write.CreateRequest(id, request);
  v1::VolunteerRequestCreated payload;
  *payload.mutable_volunteer_request() = ForEvent(request);
  write.Publish(events::MakeEvent(EventContextFor(principal, request_id),
                                  municipality, request.name(), payload),
                request.newcomer());
  if (!idempotency_key.empty()) write.Idempotent(idempotency_key, id);
  ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
  if (write.Replayed(outcome)) {
    ASSIGN_OR_RETURN(StoredRequest stored,
                     store_.LoadRequest(municipality, outcome.refusal.current));
    return WithEtag(stored);
  }
  if (write.ClaimRefused(outcome)) {
    return ResourceExistsError(
        kVolunteerRequestType,
        VolunteerRequestName(municipality, outcome.refusal.current),
        absl::StrCat(
            "the newcomer already has an open request of kind ",
            v1::MatchKind_Name(request.kind()), ": ",
            VolunteerRequestName(municipality, outcome.refusal.current),
            "; update or cancel that one"));
  }
  if (!outcome.applied) {
    return absl::AbortedError("the request id was taken concurrently; retry");
  }
  return WithEtag(StoredRequest{request, 1});
}

absl::StatusOr<v1::VolunteerRequest> VolunteerRequests::Get(
    const auth::Principal& principal, absl::string_view name) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseVolunteerRequestName(name, "name"));
  RETURN_IF_ERROR(RequireStaff(principal, parsed.municipality));
  ASSIGN_OR_RETURN(StoredRequest stored,
                   store_.LoadRequest(parsed.municipality, parsed.id));
  return WithEtag(stored);
}

absl::StatusOr<RequestPage> VolunteerRequests::List(
    const auth::Principal& principal, absl::string_view municipality,
    int32_t page_size, absl::string_view page_token, absl::string_view filter) {
  RETURN_IF_ERROR(RequireStaff(principal, municipality));
  ASSIGN_OR_RETURN(int size, api::ResolvePageSize(page_size));
  ASSIGN_OR_RETURN(RequestFilter compiled, CompileFilter(filter));
  std::string index = ctx_.keys.AllIndex(municipality, kRequestCollection);
  if (!compiled.newcomer.empty()) {
    ASSIGN_OR_RETURN(std::string newcomer_id,
                     ParseActorId(compiled.newcomer, municipality, "filter"));
    index = ctx_.keys.Index(municipality, kRequestCollection, "newcomer",
                            newcomer_id);
  }
  const std::string fingerprint =
      absl::StrCat("volunteerRequests\n", municipality, "\n", filter);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  if (!cursor.empty() && !api::IsValidNumericId(cursor)) {
    return InvalidFieldError("page_token", "is not a page token of this list");
  }
  ASSIGN_OR_RETURN(auto page, store::ScanIndexPage<v1::VolunteerRequest>(
                                  ctx_.store, municipality, kRequestCollection,
                                  index, size, cursor, kMaxScannedPerPage,
                                  [&](const v1::VolunteerRequest& request) {
                                    return Matches(compiled, request);
                                  }));
  RequestPage out;
  out.requests = std::move(page.items);
  if (!page.next_cursor.empty()) {
    out.next_page_token = api::EncodePageToken(page.next_cursor, fingerprint);
  }
  return out;
}

absl::StatusOr<v1::VolunteerRequest> VolunteerRequests::Update(
    const auth::Principal& principal, const v1::VolunteerRequest& patch,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(
      ParsedName parsed,
      ParseVolunteerRequestName(patch.name(), "volunteer_request.name"));
  RETURN_IF_ERROR(RequireStaff(principal, parsed.municipality));
  static const api::FieldMaskRules* rules = new api::FieldMaskRules{
      {"name", "state", "current_match", "passed_volunteers", "cancel_reason",
       "etag", "create_time", "update_time"},
      {"newcomer", "kind"}};
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(StoredRequest stored,
                     store_.LoadRequest(parsed.municipality, parsed.id));
    RETURN_IF_ERROR(store::CheckEtag(patch.etag(), stored.version, patch.name(),
                                     "volunteer_request.etag"));
    if (!IsOpenRequest(stored.resource.state())) {
      return PreconditionError(
          "STATE", patch.name(),
          "the request was cancelled or completed; create a new one");
    }
    v1::VolunteerRequest updated = stored.resource;
    RETURN_IF_ERROR(api::ApplyFieldMask(mask, patch, *rules, &updated));
    NormalizeRequest(&updated);
    FieldViolations violations;
    CheckRequestFields(updated, "volunteer_request", &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    *updated.mutable_update_time() = store::ToTimestamp(absl::Now());

    MatchWrite write = store_.Write(parsed.municipality);
    write.UpdateRequest(parsed.id, stored, updated);
    v1::VolunteerRequestUpdated payload;
    *payload.mutable_volunteer_request() = ForEvent(updated);
    write.Publish(
        events::MakeEvent(EventContextFor(principal), parsed.municipality,
                          updated.name(), payload),
        updated.newcomer());
    ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
    if (outcome.applied)
      return WithEtag(StoredRequest{updated, stored.version + 1});
    if (!patch.etag().empty()) return EtagMismatchError(patch.name());
    if (attempt >= store::kMaxWriteAttempts) {
      return absl::AbortedError(
          "the request kept changing concurrently; retry");
    }
  }
}

}  // namespace brobygger::matching
