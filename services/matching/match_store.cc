#include "services/matching/match_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "brobygger/matching/v1/volunteer_record.pb.h"
#include "common/status/macros.h"
#include "services/matching/matching_names.h"
#include "services/matching/request_rules.h"

namespace brobygger::matching {
namespace {

// The candidate-change stream keeps about this many entries (as the
// registry projection's writes do).
constexpr int64_t kChangeStreamMaxLen = 100'000;

std::string ClaimField(const v1::VolunteerRequest& request) {
  return absl::StrCat(store::IdOf(request.newcomer()), "/",
                      v1::MatchKind_Name(request.kind()));
}

// The calendar day in Denmark of a timestamp.
registry::v1::Date DanishDate(const google::protobuf::Timestamp& timestamp) {
  static const absl::TimeZone* zone = [] {
    auto* tz = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/Copenhagen", tz)) *tz = absl::UTCTimeZone();
    return tz;
  }();
  const absl::CivilDay day =
      absl::ToCivilDay(store::FromTimestamp(timestamp), *zone);
  registry::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

template <typename Resource>
absl::StatusOr<std::vector<store::Versioned<Resource>>> ParseAll(
    const std::vector<store::Document>& documents, absl::string_view what) {
  std::vector<store::Versioned<Resource>> out;
  out.reserve(documents.size());
  for (const store::Document& document : documents) {
    store::Versioned<Resource> loaded;
    if (!loaded.resource.ParseFromString(document.data)) {
      return absl::DataLossError(
          absl::StrCat("stored ", what, " ", document.id, " does not parse"));
    }
    loaded.version = document.version;
    out.push_back(std::move(loaded));
  }
  return out;
}

}  // namespace

bool IsLiveMatch(v1::Match::State state) {
  return state == v1::Match::STATE_PROPOSED ||
         state == v1::Match::STATE_ACCEPTED || state == v1::Match::STATE_ACTIVE;
}

MatchWrite::MatchWrite(MatchingContext& ctx, std::string municipality)
    : ctx_(ctx), m_(std::move(municipality)) {}

std::string MatchWrite::RequestKey(const std::string& id) const {
  return ctx_.store.DocumentKey(m_, kRequestCollection, id);
}

std::string MatchWrite::MatchKey(const std::string& id) const {
  return ctx_.store.DocumentKey(m_, kMatchCollection, id);
}

void MatchWrite::CreateRequest(const std::string& id,
                               const v1::VolunteerRequest& request) {
  const MatchingKeys& keys = ctx_.keys;
  batch_.RequireVersion(RequestKey(id), 0);
  claim_check_ = batch_.RequireClaimFree(keys.OpenRequestClaims(m_),
                                         ClaimField(request), id);
  batch_.PutDocument(RequestKey(id), request.SerializeAsString(), 1);
  batch_.HashSet(keys.OpenRequestClaims(m_), ClaimField(request), id);
  const double score = store::IdScore(id);
  batch_.SortedSetAdd(keys.AllIndex(m_, kRequestCollection), score, id);
  batch_.SortedSetAdd(keys.Index(m_, kRequestCollection, "newcomer",
                                 store::IdOf(request.newcomer())),
                      score, id);
}

void MatchWrite::UpdateRequest(const std::string& id,
                               const StoredRequest& before,
                               const v1::VolunteerRequest& after) {
  batch_.RequireVersion(RequestKey(id), before.version);
  batch_.PutDocument(RequestKey(id), after.SerializeAsString(),
                     before.version + 1);
  if (IsOpenRequest(before.resource.state()) && !IsOpenRequest(after.state())) {
    batch_.HashDeleteIf(ctx_.keys.OpenRequestClaims(m_),
                        ClaimField(before.resource), id);
  }
}

void MatchWrite::DeleteRequest(const std::string& id,
                               const StoredRequest& before) {
  const MatchingKeys& keys = ctx_.keys;
  batch_.RequireVersion(RequestKey(id), before.version);
  batch_.Delete(RequestKey(id));
  batch_.HashDeleteIf(keys.OpenRequestClaims(m_), ClaimField(before.resource),
                      id);
  batch_.SortedSetRemove(keys.AllIndex(m_, kRequestCollection), id);
  batch_.SortedSetRemove(keys.Index(m_, kRequestCollection, "newcomer",
                                    store::IdOf(before.resource.newcomer())),
                         id);
}

void MatchWrite::IndexMatch(const std::string& id, const v1::Match& match,
                            bool add) {
  const MatchingKeys& keys = ctx_.keys;
  std::vector<std::string> indexes = {
      keys.AllIndex(m_, kMatchCollection),
      keys.Index(m_, kMatchCollection, "volunteer",
                 store::IdOf(match.volunteer())),
      keys.Index(m_, kMatchCollection, "newcomer",
                 store::IdOf(match.newcomer())),
      keys.Index(m_, kMatchCollection, "request",
                 store::IdOf(match.volunteer_request()))};
  if (!match.organisation().empty()) {
    indexes.push_back(keys.Index(m_, kMatchCollection, "organisation",
                                 store::IdOf(match.organisation())));
  }
  for (std::string& index : indexes) {
    if (add) {
      batch_.SortedSetAdd(std::move(index), store::IdScore(id), id);
    } else {
      batch_.SortedSetRemove(std::move(index), id);
    }
  }
}

void MatchWrite::CreateMatch(const std::string& id, const v1::Match& match,
                             int capacity) {
  const MatchingKeys& keys = ctx_.keys;
  const std::string volunteer_id = store::IdOf(match.volunteer());
  batch_.RequireVersion(MatchKey(id), 0);
  volunteer_check_ = batch_.RequireExists(keys.Volunteer(m_, volunteer_id));
  capacity_check_ = batch_.RequireBelow(keys.Loads(m_), volunteer_id, capacity);
  batch_.PutDocument(MatchKey(id), match.SerializeAsString(), 1);
  IndexMatch(id, match, /*add=*/true);
  batch_.Increment(keys.Loads(m_), volunteer_id, 1);
  batch_.SortedSetAdd(keys.ProposalDeadlines(m_),
                      static_cast<double>(absl::ToUnixMillis(
                          store::FromTimestamp(match.respond_deadline()))),
                      id);
  batch_.StreamAdd(keys.CandidateChanges(m_), kChangeStreamMaxLen, "v",
                   volunteer_id);
}

void MatchWrite::PutPeriod(const std::string& id, const v1::Match& match) {
  v1::ServicePeriod period;
  period.set_kind(match.kind());
  *period.mutable_start_date() = DanishDate(match.activate_time());
  if (match.has_end_time()) {
    *period.mutable_end_date() = DanishDate(match.end_time());
  }
  period.set_match(match.name());
  batch_.HashSet(ctx_.keys.ServicePeriods(m_, store::IdOf(match.volunteer())),
                 id, period.SerializeAsString());
}

void MatchWrite::UpdateMatch(const std::string& id, const StoredMatch& before,
                             const v1::Match& after) {
  const MatchingKeys& keys = ctx_.keys;
  const std::string volunteer_id = store::IdOf(after.volunteer());
  batch_.RequireVersion(MatchKey(id), before.version);
  batch_.PutDocument(MatchKey(id), after.SerializeAsString(),
                     before.version + 1);
  const v1::Match::State was = before.resource.state();
  if (was == v1::Match::STATE_PROPOSED &&
      after.state() != v1::Match::STATE_PROPOSED) {
    batch_.SortedSetRemove(keys.ProposalDeadlines(m_), id);
  }
  if (IsLiveMatch(was) && !IsLiveMatch(after.state())) {
    batch_.Increment(keys.Loads(m_), volunteer_id, -1);
    batch_.StreamAdd(keys.CandidateChanges(m_), kChangeStreamMaxLen, "v",
                     volunteer_id);
  }
  if (after.has_activate_time()) PutPeriod(id, after);
}

void MatchWrite::DeleteMatch(const std::string& id, const StoredMatch& before) {
  const MatchingKeys& keys = ctx_.keys;
  const v1::Match& match = before.resource;
  const std::string volunteer_id = store::IdOf(match.volunteer());
  batch_.RequireVersion(MatchKey(id), before.version);
  batch_.Delete(MatchKey(id));
  IndexMatch(id, match, /*add=*/false);
  batch_.SortedSetRemove(keys.ProposalDeadlines(m_), id);
  if (IsLiveMatch(match.state())) {
    batch_.Increment(keys.Loads(m_), volunteer_id, -1);
    batch_.StreamAdd(keys.CandidateChanges(m_), kChangeStreamMaxLen, "v",
                     volunteer_id);
  }
  if (match.has_activate_time()) {
    // The volunteer's record keeps the period (their work happened) but
    // no longer points at the erased newcomer's match.
    v1::Match anonymous = match;
    anonymous.clear_name();
    if (!anonymous.has_end_time()) {
      *anonymous.mutable_end_time() = store::ToTimestamp(absl::Now());
    }
    PutPeriod(id, anonymous);
  }
}

void MatchWrite::Publish(const events::v1::Event& event,
                         absl::string_view newcomer) {
  batch_.Publish(ctx_.keys.space().EventStream(m_), event, ctx_.retention,
                 ctx_.keys.NewcomerEventTrail(m_, store::IdOf(newcomer)));
}

void MatchWrite::EraseNewcomerEvents(absl::string_view newcomer_id) {
  batch_.EraseEventTrail(ctx_.keys.space().EventStream(m_),
                         ctx_.keys.NewcomerEventTrail(m_, newcomer_id));
}

void MatchWrite::Idempotent(const std::string& key, const std::string& value,
                            absl::Duration ttl) {
  replay_check_ = batch_.RequireUnused(key);
  batch_.SetWithExpiry(key, value, ttl);
}

absl::StatusOr<store::BatchOutcome> MatchWrite::Run() {
  return batch_.Run(ctx_.pool);
}

bool MatchWrite::CapacityRefused(const store::BatchOutcome& outcome) const {
  return !outcome.applied && outcome.refusal.check == capacity_check_;
}

bool MatchWrite::ClaimRefused(const store::BatchOutcome& outcome) const {
  return !outcome.applied && outcome.refusal.check == claim_check_;
}

bool MatchWrite::Replayed(const store::BatchOutcome& outcome) const {
  return !outcome.applied && outcome.refusal.check == replay_check_;
}

bool MatchWrite::VolunteerGone(const store::BatchOutcome& outcome) const {
  return !outcome.applied && outcome.refusal.check == volunteer_check_;
}

absl::StatusOr<std::string> MatchStore::NextRequestId(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(int64_t id,
                   ctx_.store.NextId(municipality, kRequestCollection));
  return absl::StrCat(id);
}

absl::StatusOr<std::string> MatchStore::NextMatchId(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(int64_t id,
                   ctx_.store.NextId(municipality, kMatchCollection));
  return absl::StrCat(id);
}

absl::StatusOr<StoredRequest> MatchStore::LoadRequest(
    absl::string_view municipality, absl::string_view id) {
  return store::LoadResource<v1::VolunteerRequest>(
      ctx_.store, municipality, kRequestCollection, id,
      VolunteerRequestName(municipality, id), kVolunteerRequestType,
      "volunteer request");
}

absl::StatusOr<StoredMatch> MatchStore::LoadMatch(
    absl::string_view municipality, absl::string_view id) {
  return store::LoadResource<v1::Match>(
      ctx_.store, municipality, kMatchCollection, id,
      MatchName(municipality, id), kMatchType, "match");
}

absl::StatusOr<std::vector<std::string>> MatchStore::IdsIn(
    const std::string& index) {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"ZRANGE", index, "0", "-1"}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  std::vector<std::string> ids;
  ids.reserve(reply.elements.size());
  for (const redis::Reply& element : reply.elements) ids.push_back(element.str);
  return ids;
}

absl::StatusOr<std::vector<StoredMatch>> MatchStore::LoadMatches(
    absl::string_view municipality, const std::vector<std::string>& ids) {
  ASSIGN_OR_RETURN(std::vector<store::Document> documents,
                   ctx_.store.GetMany(municipality, kMatchCollection, ids));
  return ParseAll<v1::Match>(documents, "match");
}

absl::StatusOr<std::vector<StoredRequest>> MatchStore::LoadRequests(
    absl::string_view municipality, const std::vector<std::string>& ids) {
  ASSIGN_OR_RETURN(std::vector<store::Document> documents,
                   ctx_.store.GetMany(municipality, kRequestCollection, ids));
  return ParseAll<v1::VolunteerRequest>(documents, "volunteer request");
}

absl::StatusOr<std::optional<std::string>> MatchStore::Replayed(
    const std::string& key) {
  return ctx_.store.LookupRequest(key);
}

absl::StatusOr<std::vector<std::string>> MatchStore::DueProposals(
    absl::string_view municipality, absl::Time now, int limit) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      ctx_.pool.Run({"ZRANGE", ctx_.keys.ProposalDeadlines(municipality),
                     "-inf", absl::StrCat(absl::ToUnixMillis(now)), "BYSCORE",
                     "LIMIT", "0", absl::StrCat(limit)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  std::vector<std::string> ids;
  for (const redis::Reply& element : reply.elements) ids.push_back(element.str);
  return ids;
}

absl::StatusOr<std::vector<std::string>> MatchStore::ServicePeriods(
    absl::string_view municipality, absl::string_view volunteer_id) {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"HVALS", ctx_.keys.ServicePeriods(
                                               municipality, volunteer_id)}));
  if (reply.is_error()) return absl::InternalError(reply.str);
  std::vector<std::string> out;
  for (const redis::Reply& element : reply.elements) out.push_back(element.str);
  return out;
}

}  // namespace brobygger::matching
