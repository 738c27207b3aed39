#include "services/matching/match_lifecycle.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "brobygger/matching/v1/events.pb.h"
#include "common/api/request_id.h"
#include "common/auth/authorizer.h"
#include "common/log/log.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/text/fold.h"
#include "services/matching/match_access.h"
#include "services/matching/matching_names.h"
#include "services/matching/request_rules.h"
#include "services/matching/scoring.h"

namespace brobygger::matching {
namespace {

using MatchState = v1::Match::State;
using RequestState = v1::VolunteerRequest::State;

// The event that says a match reached its state.
events::v1::Event MatchEvent(const events::EventContext& cause,
                             absl::string_view municipality,
                             const v1::Match& match) {
  const auto make = [&](auto payload) {
    *payload.mutable_match() = match;
    return events::MakeEvent(cause, municipality, match.name(), payload);
  };
  switch (match.state()) {
    case v1::Match::STATE_PROPOSED:
      return make(v1::MatchProposed());
    case v1::Match::STATE_ACCEPTED:
      return make(v1::MatchAccepted());
    case v1::Match::STATE_ACTIVE:
      return make(v1::MatchActivated());
    case v1::Match::STATE_DECLINED:
      return make(v1::MatchDeclined());
    case v1::Match::STATE_EXPIRED:
      return make(v1::MatchExpired());
    default:
      return make(v1::MatchEnded());
  }
}

absl::Status CheckReason(absl::string_view text, absl::string_view field) {
  const int length = text::Utf8Length(text);
  if (length < 0) return InvalidFieldError(field, "must be valid UTF-8");
  if (length > kMaxReasonLength) {
    return InvalidFieldError(field,
                             absl::StrCat("must be at most ", kMaxReasonLength,
                                          " characters (has ", length, ")"));
  }
  return absl::OkStatus();
}

// The request after its live match ended without completing it: open
// again, with the volunteer recorded as passed.
v1::VolunteerRequest Reopened(const v1::VolunteerRequest& request,
                              const v1::Match& match, absl::Time now) {
  v1::VolunteerRequest out = request;
  out.set_state(v1::VolunteerRequest::STATE_OPEN);
  out.clear_current_match();
  if (std::find(out.passed_volunteers().begin(), out.passed_volunteers().end(),
                match.volunteer()) == out.passed_volunteers().end()) {
    out.add_passed_volunteers(match.volunteer());
  }
  *out.mutable_update_time() = store::ToTimestamp(now);
  return out;
}

v1::VolunteerRequest WithState(const v1::VolunteerRequest& request,
                               RequestState state, absl::Time now) {
  v1::VolunteerRequest out = request;
  out.set_state(state);
  if (state != v1::VolunteerRequest::STATE_MATCHED &&
      state != v1::VolunteerRequest::STATE_PROPOSED) {
    out.clear_current_match();
  }
  *out.mutable_update_time() = store::ToTimestamp(now);
  return out;
}

// A match that is over: `state` with its end time.
v1::Match Finished(const v1::Match& match, MatchState state, absl::Time now) {
  v1::Match out = match;
  out.set_state(state);
  *out.mutable_end_time() = store::ToTimestamp(now);
  return out;
}

absl::Status NotAnsweringFor(const v1::Match& match) {
  return PermissionDeniedError(
      "NOT_YOUR_MATCH",
      absl::StrCat(match.name(),
                   " is answered by its volunteer or their organisation's "
                   "app"));
}

}  // namespace

v1::Match WithEtag(const StoredMatch& stored) {
  v1::Match out = stored.resource;
  out.set_etag(store::EtagOf(stored.version));
  return out;
}

absl::StatusOr<StoredMatch> MatchLifecycle::Transit(
    const events::EventContext& cause, absl::string_view municipality,
    absl::string_view match_id, absl::string_view etag, Decide decide) {
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(StoredMatch match,
                     store_.LoadMatch(municipality, match_id));
    RETURN_IF_ERROR(
        store::CheckEtag(etag, match.version, match.resource.name(), "etag"));
    ASSIGN_OR_RETURN(
        StoredRequest request,
        store_.LoadRequest(municipality,
                           store::IdOf(match.resource.volunteer_request())));
    ASSIGN_OR_RETURN(Change change, decide(match, request));
    if (change.match.state() == match.resource.state() &&
        !change.request.has_value()) {
      return match;  // nothing to do (e.g. a repeated accept)
    }
    *change.match.mutable_update_time() = store::ToTimestamp(absl::Now());
    MatchWrite write = store_.Write(municipality);
    write.UpdateMatch(std::string(match_id), match, change.match);
    write.Publish(MatchEvent(cause, municipality, change.match),
                  change.match.newcomer());
    if (change.request.has_value()) {
      write.UpdateRequest(store::IdOf(request.resource.name()), request,
                          *change.request);
      if (change.request->state() == v1::VolunteerRequest::STATE_CANCELLED &&
          request.resource.state() != v1::VolunteerRequest::STATE_CANCELLED) {
        v1::VolunteerRequestCancelled payload;
        *payload.mutable_volunteer_request() = ForEvent(*change.request);
        write.Publish(events::MakeEvent(cause, municipality,
                                        change.request->name(), payload),
                      change.request->newcomer());
      }
    }
    ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
    if (outcome.applied) {
      return StoredMatch{std::move(change.match), match.version + 1};
    }
    if (!etag.empty()) return EtagMismatchError(match.resource.name());
    if (attempt >= store::kMaxWriteAttempts) {
      return absl::AbortedError(
          absl::StrCat(match.resource.name(),
                       " kept changing concurrently; read it again and retry"));
    }
  }
}

absl::StatusOr<MatchLifecycle::ProposalOutcome> MatchLifecycle::WriteProposal(
    const events::EventContext& cause, absl::string_view municipality,
    const StoredRequest& request, const v1::Suggestion& suggestion,
    int capacity, absl::Duration timeout, const std::string& idempotency_key) {
  ASSIGN_OR_RETURN(std::string match_id, store_.NextMatchId(municipality));
  const absl::Time now = absl::Now();
  v1::Match match;
  match.set_name(MatchName(municipality, match_id));
  match.set_volunteer_request(request.resource.name());
  match.set_newcomer(request.resource.newcomer());
  match.set_volunteer(suggestion.volunteer());
  match.set_organisation(suggestion.organisation());
  match.set_kind(request.resource.kind());
  match.set_state(v1::Match::STATE_PROPOSED);
  *match.mutable_proposal() = suggestion;
  *match.mutable_respond_deadline() = store::ToTimestamp(now + timeout);
  *match.mutable_propose_time() = store::ToTimestamp(now);
  *match.mutable_update_time() = store::ToTimestamp(now);

  v1::VolunteerRequest updated =
      WithState(request.resource, v1::VolunteerRequest::STATE_PROPOSED, now);
  updated.set_current_match(match.name());

  MatchWrite write = store_.Write(municipality);
  write.CreateMatch(match_id, match, capacity);
  write.UpdateRequest(store::IdOf(request.resource.name()), request, updated);
  write.Publish(MatchEvent(cause, municipality, match), match.newcomer());
  if (!idempotency_key.empty()) write.Idempotent(idempotency_key, match_id);
  ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
  ProposalOutcome result;
  if (outcome.applied) {
    result.match = WithEtag(StoredMatch{std::move(match), 1});
  } else if (write.Replayed(outcome)) {
    ASSIGN_OR_RETURN(StoredMatch replayed,
                     store_.LoadMatch(municipality, outcome.refusal.current));
    result.match = WithEtag(replayed);
  } else if (write.CapacityRefused(outcome)) {
    result.full = true;
  } else if (write.VolunteerGone(outcome)) {
    result.gone = true;
  } else {
    result.conflict = true;
  }
  return result;
}

absl::StatusOr<v1::Match> MatchLifecycle::Propose(
    const auth::Principal& principal, absl::string_view request_name,
    absl::string_view volunteer, absl::string_view request_id) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseVolunteerRequestName(
                                          request_name, "volunteer_request"));
  const std::string& m = parsed.municipality;
  RETURN_IF_ERROR(RequireStaff(principal, m));
  RETURN_IF_ERROR(api::ValidateRequestId(request_id));
  std::string volunteer_id;
  if (!volunteer.empty()) {
    ASSIGN_OR_RETURN(volunteer_id, ParseActorId(volunteer, m, "volunteer"));
  }
  const std::string idempotency_key =
      request_id.empty() ? ""
                         : ctx_.keys.Request(m, kMatchCollection, request_id);
  if (!idempotency_key.empty()) {
    ASSIGN_OR_RETURN(std::optional<std::string> replayed,
                     store_.Replayed(idempotency_key));
    if (replayed.has_value()) {
      ASSIGN_OR_RETURN(StoredMatch stored, store_.LoadMatch(m, *replayed));
      return WithEtag(stored);
    }
  }
  const events::EventContext cause = EventContextFor(principal, request_id);
  for (int attempt = 1; attempt <= store::kMaxWriteAttempts; ++attempt) {
    ASSIGN_OR_RETURN(StoredRequest request, store_.LoadRequest(m, parsed.id));
    if (request.resource.state() != v1::VolunteerRequest::STATE_OPEN) {
      return PreconditionError(
          "STATE", request_name,
          request.resource.current_match().empty()
              ? "the request was cancelled or completed"
              : absl::StrCat("the request already has ",
                             request.resource.current_match(),
                             "; a new volunteer can be proposed once it is "
                             "declined, expires or ends"));
    }
    ASSIGN_OR_RETURN(Suggestions::Prepared prepared,
                     suggestions_.Prepare(m, request.resource));
    v1::Suggestion suggestion;
    int capacity = 0;
    if (!volunteer_id.empty()) {
      const auto& passed = request.resource.passed_volunteers();
      if (std::find(passed.begin(), passed.end(), volunteer) != passed.end()) {
        return PreconditionError(
            "PASSED", volunteer,
            "this volunteer declined the request or let the proposal expire");
      }
      ASSIGN_OR_RETURN(std::optional<Candidate> candidate,
                       index_.Find(m, volunteer_id));
      if (!candidate.has_value()) {
        return ResourceNotFoundError("brobygger.registry.v1.Actor", volunteer);
      }
      if (candidate->load >= candidate->capacity) {
        return PreconditionError(
            "CAPACITY", volunteer,
            absl::StrCat("the volunteer already has ", candidate->load, " of ",
                         candidate->capacity,
                         " matches; choose another volunteer"));
      }
      if (!Eligible(prepared.seeker, *candidate)) {
        return PreconditionError(
            "CONSTRAINTS", volunteer,
            "the volunteer does not meet the request's hard constraints "
            "(language, area, gender) or shares no language with the "
            "newcomer; see SuggestMatches for eligible volunteers");
      }
      suggestion = Explain(prepared.seeker, *candidate, prepared.weights);
      capacity = candidate->capacity;
    } else {
      ASSIGN_OR_RETURN(Ranking ranking,
                       suggestions_.Rank(m, request.resource, prepared.seeker,
                                         prepared.weights, 1));
      if (ranking.suggestions.empty()) {
        return PreconditionError(
            "NO_CANDIDATE", request_name,
            "no volunteer meets the request's hard constraints and has room; "
            "relax the constraints or recruit volunteers");
      }
      suggestion = std::move(ranking.suggestions.front());
      capacity = suggestion.capacity();
    }
    ASSIGN_OR_RETURN(ProposalOutcome outcome,
                     WriteProposal(cause, m, request, suggestion, capacity,
                                   prepared.proposal_timeout, idempotency_key));
    if (outcome.match.has_value()) return *std::move(outcome.match);
    if (!volunteer_id.empty() && outcome.full) {
      return PreconditionError(
          "CAPACITY", volunteer,
          "the volunteer's last free slot was just taken by another "
          "proposal; choose another volunteer");
    }
    if (!volunteer_id.empty() && outcome.gone) {
      return PreconditionError("VOLUNTEER_GONE", volunteer,
                               "the volunteer just left the registry");
    }
    // The best volunteer filled up or left, or the request changed: look
    // again with fresh data.
  }
  return absl::AbortedError(
      "the request or its candidates kept changing concurrently; retry");
}

absl::StatusOr<v1::Match> MatchLifecycle::ProposeSuggestion(
    const events::EventContext& cause, absl::string_view municipality,
    absl::string_view request_id, const v1::Suggestion& suggestion) {
  ASSIGN_OR_RETURN(StoredRequest request,
                   store_.LoadRequest(municipality, request_id));
  if (request.resource.state() != v1::VolunteerRequest::STATE_OPEN) {
    return PreconditionError("STATE", request.resource.name(),
                             "the request is no longer open");
  }
  ASSIGN_OR_RETURN(v1::MatchingSettings settings, settings_.Load(municipality));
  ASSIGN_OR_RETURN(
      ProposalOutcome outcome,
      WriteProposal(cause, municipality, request, suggestion,
                    suggestion.capacity(), ProposalTimeout(settings), ""));
  if (outcome.match.has_value()) return *std::move(outcome.match);
  if (outcome.full) {
    return PreconditionError("CAPACITY", suggestion.volunteer(),
                             "the volunteer's last free slot was taken "
                             "meanwhile");
  }
  if (outcome.gone) {
    return PreconditionError("VOLUNTEER_GONE", suggestion.volunteer(),
                             "the volunteer left the registry meanwhile");
  }
  return PreconditionError("STATE", request.resource.name(),
                           "the request changed meanwhile");
}

absl::StatusOr<std::optional<v1::Match>> MatchLifecycle::ProposeBest(
    absl::string_view municipality, absl::string_view request_id) {
  const events::EventContext cause = SystemEventContext();
  for (int attempt = 1; attempt <= store::kMaxWriteAttempts; ++attempt) {
    ASSIGN_OR_RETURN(StoredRequest request,
                     store_.LoadRequest(municipality, request_id));
    if (request.resource.state() != v1::VolunteerRequest::STATE_OPEN) {
      return std::nullopt;
    }
    ASSIGN_OR_RETURN(Suggestions::Prepared prepared,
                     suggestions_.Prepare(municipality, request.resource));
    ASSIGN_OR_RETURN(Ranking ranking,
                     suggestions_.Rank(municipality, request.resource,
                                       prepared.seeker, prepared.weights, 1));
    if (ranking.suggestions.empty()) return std::nullopt;
    const v1::Suggestion& best = ranking.suggestions.front();
    ASSIGN_OR_RETURN(
        ProposalOutcome outcome,
        WriteProposal(cause, municipality, request, best, best.capacity(),
                      prepared.proposal_timeout, ""));
    if (outcome.match.has_value()) return outcome.match;
  }
  return absl::AbortedError("candidates kept changing concurrently");
}

void MatchLifecycle::ProposeNext(absl::string_view municipality,
                                 absl::string_view request_id) {
  auto proposed = ProposeBest(municipality, request_id);
  if (!proposed.ok()) {
    log::Warning("proposing the next volunteer failed; the request stays open",
                 {{"request", VolunteerRequestName(municipality, request_id)},
                  {"error", proposed.status().ToString()}});
  } else if (!proposed->has_value()) {
    log::Info("no further eligible volunteer; the request stays open",
              {{"request", VolunteerRequestName(municipality, request_id)}});
  }
}

absl::StatusOr<v1::Match> MatchLifecycle::Accept(
    const auth::Principal& principal, absl::string_view name,
    absl::string_view etag) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseMatchName(name, "name"));
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, parsed.municipality));
  ASSIGN_OR_RETURN(
      StoredMatch stored,
      Transit(
          EventContextFor(principal), parsed.municipality, parsed.id, etag,
          [&](const StoredMatch& match,
              const StoredRequest& request) -> absl::StatusOr<Change> {
            const v1::Match& current = match.resource;
            if (!AnswersFor(principal, current)) {
              return NotAnsweringFor(current);
            }
            if (current.state() == v1::Match::STATE_ACCEPTED ||
                current.state() == v1::Match::STATE_ACTIVE) {
              return Change{current, std::nullopt};  // already accepted
            }
            if (current.state() != v1::Match::STATE_PROPOSED) {
              return PreconditionError("STATE", current.name(),
                                       "only a proposed match can be accepted");
            }
            const absl::Time now = absl::Now();
            if (store::FromTimestamp(current.respond_deadline()) < now) {
              return PreconditionError(
                  "EXPIRED", current.name(),
                  "the time to answer this proposal is over");
            }
            Change change{current,
                          WithState(request.resource,
                                    v1::VolunteerRequest::STATE_MATCHED, now)};
            change.match.set_state(v1::Match::STATE_ACCEPTED);
            *change.match.mutable_accept_time() = store::ToTimestamp(now);
            change.request->set_current_match(current.name());
            return change;
          }));
  return WithEtag(stored);
}

absl::StatusOr<v1::Match> MatchLifecycle::Decline(
    const auth::Principal& principal, absl::string_view name,
    absl::string_view reason, absl::string_view etag) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseMatchName(name, "name"));
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, parsed.municipality));
  RETURN_IF_ERROR(CheckReason(reason, "reason"));
  bool declined_now = false;
  std::string request_id;
  ASSIGN_OR_RETURN(
      StoredMatch stored,
      Transit(EventContextFor(principal), parsed.municipality, parsed.id, etag,
              [&](const StoredMatch& match,
                  const StoredRequest& request) -> absl::StatusOr<Change> {
                const v1::Match& current = match.resource;
                if (!AnswersFor(principal, current)) {
                  return NotAnsweringFor(current);
                }
                if (current.state() == v1::Match::STATE_DECLINED) {
                  return Change{current, std::nullopt};
                }
                if (current.state() != v1::Match::STATE_PROPOSED) {
                  return PreconditionError(
                      "STATE", current.name(),
                      "only a proposed match can be declined; end an "
                      "accepted or active one with EndMatch");
                }
                const absl::Time now = absl::Now();
                Change change{Finished(current, v1::Match::STATE_DECLINED, now),
                              Reopened(request.resource, current, now)};
                change.match.set_end_note(std::string(reason));
                declined_now = true;
                request_id = store::IdOf(request.resource.name());
                return change;
              }));
  if (declined_now) ProposeNext(parsed.municipality, request_id);
  return WithEtag(stored);
}

absl::StatusOr<v1::Match> MatchLifecycle::Activate(
    const auth::Principal& principal, absl::string_view name,
    absl::string_view etag) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseMatchName(name, "name"));
  RETURN_IF_ERROR(RequireStaff(principal, parsed.municipality));
  ASSIGN_OR_RETURN(
      StoredMatch stored,
      Transit(EventContextFor(principal), parsed.municipality, parsed.id, etag,
              [&](const StoredMatch& match,
                  const StoredRequest&) -> absl::StatusOr<Change> {
                const v1::Match& current = match.resource;
                if (current.state() == v1::Match::STATE_ACTIVE) {
                  return Change{current, std::nullopt};
                }
                if (current.state() != v1::Match::STATE_ACCEPTED) {
                  return PreconditionError(
                      "STATE", current.name(),
                      "only a match the volunteer accepted can become "
                      "active");
                }
                Change change{current, std::nullopt};
                change.match.set_state(v1::Match::STATE_ACTIVE);
                *change.match.mutable_activate_time() =
                    store::ToTimestamp(absl::Now());
                return change;
              }));
  return WithEtag(stored);
}

absl::StatusOr<v1::Match> MatchLifecycle::End(const auth::Principal& principal,
                                              absl::string_view name,
                                              v1::Match::EndReason reason,
                                              absl::string_view note,
                                              absl::string_view etag) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseMatchName(name, "name"));
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, parsed.municipality));
  if (reason == v1::Match::END_REASON_UNSPECIFIED ||
      reason == v1::Match::END_REASON_NEWCOMER_ERASED ||
      !v1::Match::EndReason_IsValid(reason)) {
    return InvalidFieldError(
        "reason",
        "is required: COMPLETED, VOLUNTEER_STOPPED, NEWCOMER_STOPPED, "
        "NEWCOMER_MOVED, CONSENT_WITHDRAWN, VOLUNTEER_REMOVED, "
        "REQUEST_CANCELLED or OTHER");
  }
  RETURN_IF_ERROR(CheckReason(note, "note"));
  ASSIGN_OR_RETURN(
      StoredMatch stored,
      Transit(EventContextFor(principal), parsed.municipality, parsed.id, etag,
              [&](const StoredMatch& match,
                  const StoredRequest& request) -> absl::StatusOr<Change> {
                const v1::Match& current = match.resource;
                const bool staff = IsStaff(principal);
                if (!staff && !AnswersFor(principal, current)) {
                  return NotAnsweringFor(current);
                }
                if (current.state() == v1::Match::STATE_ENDED) {
                  return Change{current, std::nullopt};
                }
                const bool may_end =
                    current.state() == v1::Match::STATE_ACCEPTED ||
                    current.state() == v1::Match::STATE_ACTIVE ||
                    (staff && current.state() == v1::Match::STATE_PROPOSED);
                if (!may_end) {
                  return PreconditionError(
                      "STATE", current.name(),
                      current.state() == v1::Match::STATE_PROPOSED
                          ? "a proposal is answered with DeclineMatch"
                          : "the match is already over");
                }
                const absl::Time now = absl::Now();
                Change change{Finished(current, v1::Match::STATE_ENDED, now),
                              std::nullopt};
                change.match.set_end_reason(reason);
                change.match.set_end_note(std::string(note));
                // A match that was under way completes its request; one
                // that never started leaves the request open for another
                // volunteer.
                change.request =
                    current.state() == v1::Match::STATE_ACTIVE
                        ? WithState(request.resource,
                                    v1::VolunteerRequest::STATE_COMPLETED, now)
                        : Reopened(request.resource, current, now);
                return change;
              }));
  return WithEtag(stored);
}

absl::StatusOr<v1::VolunteerRequest> MatchLifecycle::CancelRequest(
    const auth::Principal& principal, absl::string_view name,
    absl::string_view reason, absl::string_view etag) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseVolunteerRequestName(name, "name"));
  const std::string& m = parsed.municipality;
  RETURN_IF_ERROR(RequireStaff(principal, m));
  RETURN_IF_ERROR(CheckReason(reason, "reason"));
  const events::EventContext cause = EventContextFor(principal);
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(StoredRequest request, store_.LoadRequest(m, parsed.id));
    RETURN_IF_ERROR(store::CheckEtag(etag, request.version,
                                     request.resource.name(), "etag"));
    const RequestState state = request.resource.state();
    if (state == v1::VolunteerRequest::STATE_CANCELLED) {
      return WithEtag(request);
    }
    if (state == v1::VolunteerRequest::STATE_COMPLETED) {
      return PreconditionError("STATE", request.resource.name(),
                               "the request is completed");
    }
    const absl::Time now = absl::Now();
    v1::VolunteerRequest cancelled =
        WithState(request.resource, v1::VolunteerRequest::STATE_CANCELLED, now);
    cancelled.set_cancel_reason(std::string(reason));
    if (!request.resource.current_match().empty()) {
      // The live match ends with the request, in the same step.
      const std::string match_id =
          store::IdOf(request.resource.current_match());
      auto ended = Transit(
          cause, m, match_id, "",
          [&](const StoredMatch& match,
              const StoredRequest& current) -> absl::StatusOr<Change> {
            if (current.version != request.version) {
              return absl::AbortedError("the request changed; retry");
            }
            Change change{Finished(match.resource, v1::Match::STATE_ENDED, now),
                          cancelled};
            change.match.set_end_reason(
                v1::Match::END_REASON_REQUEST_CANCELLED);
            change.match.set_end_note(std::string(reason));
            return change;
          });
      if (ended.ok()) {
        ASSIGN_OR_RETURN(StoredRequest after, store_.LoadRequest(m, parsed.id));
        return WithEtag(after);
      }
      if (!absl::IsAborted(ended.status()) ||
          attempt >= store::kMaxWriteAttempts) {
        return ended.status();
      }
      continue;
    }
    ASSIGN_OR_RETURN(bool written,
                     WriteCancellation(cause, m, request, cancelled));
    if (written) return WithEtag(StoredRequest{cancelled, request.version + 1});
    if (!etag.empty()) return EtagMismatchError(request.resource.name());
    if (attempt >= store::kMaxWriteAttempts) {
      return absl::AbortedError("the request kept changing; retry");
    }
  }
}

absl::StatusOr<bool> MatchLifecycle::WriteCancellation(
    const events::EventContext& cause, absl::string_view municipality,
    const StoredRequest& before, const v1::VolunteerRequest& cancelled) {
  MatchWrite write = store_.Write(municipality);
  write.UpdateRequest(store::IdOf(before.resource.name()), before, cancelled);
  v1::VolunteerRequestCancelled payload;
  *payload.mutable_volunteer_request() = ForEvent(cancelled);
  write.Publish(
      events::MakeEvent(cause, municipality, cancelled.name(), payload),
      cancelled.newcomer());
  ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
  return outcome.applied;
}

absl::StatusOr<int> MatchLifecycle::ExpireDue(absl::string_view municipality,
                                              absl::Time now) {
  ASSIGN_OR_RETURN(std::vector<std::string> due,
                   store_.DueProposals(municipality, now, 100));
  int expired = 0;
  for (const std::string& id : due) {
    bool expired_now = false;
    std::string request_id;
    auto result = Transit(
        SystemEventContext(), municipality, id, "",
        [&](const StoredMatch& match,
            const StoredRequest& request) -> absl::StatusOr<Change> {
          const v1::Match& current = match.resource;
          if (current.state() != v1::Match::STATE_PROPOSED ||
              store::FromTimestamp(current.respond_deadline()) > now) {
            return Change{current, std::nullopt};
          }
          expired_now = true;
          request_id = store::IdOf(request.resource.name());
          return Change{Finished(current, v1::Match::STATE_EXPIRED, now),
                        Reopened(request.resource, current, now)};
        });
    if (absl::IsNotFound(result.status()) || (result.ok() && !expired_now)) {
      // Not (or no longer) a live proposal: drop the stale deadline.
      RETURN_IF_ERROR(
          ctx_.pool.Run({"ZREM", ctx_.keys.ProposalDeadlines(municipality), id})
              .status());
      continue;
    }
    if (!result.ok()) return result.status();
    ++expired;
    ProposeNext(municipality, request_id);
  }
  return expired;
}

absl::Status MatchLifecycle::EndForRegistry(absl::string_view municipality,
                                            const std::string& match_id,
                                            v1::Match::EndReason reason,
                                            RequestState request_state) {
  auto result = Transit(
      SystemEventContext(), municipality, match_id, "",
      [&](const StoredMatch& match,
          const StoredRequest& request) -> absl::StatusOr<Change> {
        const v1::Match& current = match.resource;
        if (!IsLiveMatch(current.state())) return Change{current, std::nullopt};
        const absl::Time now = absl::Now();
        Change change{Finished(current, v1::Match::STATE_ENDED, now),
                      request_state == v1::VolunteerRequest::STATE_OPEN
                          ? Reopened(request.resource, current, now)
                          : WithState(request.resource, request_state, now)};
        change.match.set_end_reason(reason);
        if (request_state == v1::VolunteerRequest::STATE_CANCELLED) {
          change.request->set_cancel_reason(
              reason == v1::Match::END_REASON_CONSENT_WITHDRAWN
                  ? "the newcomer withdrew consent to volunteer contact"
                  : "the newcomer was erased from the registry");
        }
        return change;
      });
  if (absl::IsNotFound(result.status())) return absl::OkStatus();
  return result.status();
}

absl::StatusOr<std::vector<std::string>> MatchLifecycle::EndLiveMatches(
    absl::string_view municipality, absl::string_view field,
    absl::string_view actor_id, v1::Match::EndReason reason,
    RequestState request_state) {
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   store_.IdsIn(ctx_.keys.Index(municipality, kMatchCollection,
                                                field, actor_id)));
  ASSIGN_OR_RETURN(std::vector<StoredMatch> matches,
                   store_.LoadMatches(municipality, ids));
  for (const StoredMatch& match : matches) {
    if (!IsLiveMatch(match.resource.state())) continue;
    RETURN_IF_ERROR(EndForRegistry(municipality,
                                   store::IdOf(match.resource.name()), reason,
                                   request_state));
  }
  return ids;
}

absl::Status MatchLifecycle::VolunteerRemoved(absl::string_view municipality,
                                              absl::string_view volunteer_id) {
  return EndLiveMatches(municipality, "volunteer", volunteer_id,
                        v1::Match::END_REASON_VOLUNTEER_REMOVED,
                        v1::VolunteerRequest::STATE_OPEN)
      .status();
}

absl::Status MatchLifecycle::ConsentWithdrawn(absl::string_view municipality,
                                              absl::string_view newcomer_id) {
  ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      store_.IdsIn(ctx_.keys.Index(municipality, kRequestCollection, "newcomer",
                                   newcomer_id)));
  ASSIGN_OR_RETURN(std::vector<StoredRequest> requests,
                   store_.LoadRequests(municipality, ids));
  const events::EventContext cause = SystemEventContext();
  for (const StoredRequest& request : requests) {
    if (!IsOpenRequest(request.resource.state())) continue;
    const std::string request_id = store::IdOf(request.resource.name());
    if (!request.resource.current_match().empty()) {
      RETURN_IF_ERROR(EndForRegistry(
          municipality, store::IdOf(request.resource.current_match()),
          v1::Match::END_REASON_CONSENT_WITHDRAWN,
          v1::VolunteerRequest::STATE_CANCELLED));
    }
    // Requests without a live match (or whose match just ended) are
    // cancelled on their own.
    for (int attempt = 1; attempt <= store::kMaxWriteAttempts; ++attempt) {
      ASSIGN_OR_RETURN(StoredRequest current,
                       store_.LoadRequest(municipality, request_id));
      if (!IsOpenRequest(current.resource.state())) break;
      v1::VolunteerRequest cancelled = WithState(
          current.resource, v1::VolunteerRequest::STATE_CANCELLED, absl::Now());
      cancelled.set_cancel_reason(
          "the newcomer withdrew consent to volunteer contact");
      ASSIGN_OR_RETURN(bool written, WriteCancellation(cause, municipality,
                                                       current, cancelled));
      if (written) break;
    }
  }
  return absl::OkStatus();
}

absl::Status MatchLifecycle::NewcomerErased(absl::string_view municipality,
                                            absl::string_view newcomer_id) {
  // Live matches end first, with their event, so that the registry takes
  // the volunteers' views back and notifications tell them.
  ASSIGN_OR_RETURN(std::vector<std::string> match_ids,
                   EndLiveMatches(municipality, "newcomer", newcomer_id,
                                  v1::Match::END_REASON_NEWCOMER_ERASED,
                                  v1::VolunteerRequest::STATE_CANCELLED));
  // Then everything about the newcomer goes.
  ASSIGN_OR_RETURN(std::vector<StoredMatch> matches,
                   store_.LoadMatches(municipality, match_ids));
  for (const StoredMatch& match : matches) {
    MatchWrite write = store_.Write(municipality);
    write.DeleteMatch(store::IdOf(match.resource.name()), match);
    ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
    if (!outcome.applied) {
      return absl::UnavailableError(
          "a match of the erased newcomer changed during erasure; retrying");
    }
  }
  ASSIGN_OR_RETURN(
      std::vector<std::string> request_ids,
      store_.IdsIn(ctx_.keys.Index(municipality, kRequestCollection, "newcomer",
                                   newcomer_id)));
  ASSIGN_OR_RETURN(std::vector<StoredRequest> requests,
                   store_.LoadRequests(municipality, request_ids));
  for (const StoredRequest& request : requests) {
    MatchWrite write = store_.Write(municipality);
    write.DeleteRequest(store::IdOf(request.resource.name()), request);
    ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
    if (!outcome.applied) {
      return absl::UnavailableError(
          "a request of the erased newcomer changed during erasure; retrying");
    }
  }
  // Last, the events that named the newcomer leave the stream (the ends
  // just published included: the registry erased its side already).
  MatchWrite write = store_.Write(municipality);
  write.EraseNewcomerEvents(newcomer_id);
  return write.Run().status();
}

}  // namespace brobygger::matching
