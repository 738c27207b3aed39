#include "services/matching/batch_assignment.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/matching/assignment_solver.h"
#include "services/matching/match_access.h"
#include "services/matching/matching_names.h"
#include "services/matching/scoring.h"

namespace brobygger::matching {
namespace {

// Scores are compared in thousandths, so the flow works on integers.
int64_t FixedPoint(double score) {
  return static_cast<int64_t>(std::llround(score * 1000.0));
}

// One request of the batch, ready to be scored.
struct BatchRequest {
  StoredRequest stored;
  Suggestions::Prepared prepared;
  std::set<std::string> passed;
};

}  // namespace

absl::StatusOr<std::vector<StoredRequest>> BatchAssignment::OpenRequests(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(
      std::vector<std::string> ids,
      store_.IdsIn(ctx_.keys.AllIndex(municipality, kRequestCollection)));
  std::vector<StoredRequest> open;
  for (size_t begin = 0; begin < ids.size(); begin += store::kMaxScanBatch) {
    const size_t end = std::min(ids.size(), begin + store::kMaxScanBatch);
    ASSIGN_OR_RETURN(std::vector<StoredRequest> loaded,
                     store_.LoadRequests(municipality, std::vector<std::string>(
                                                           ids.begin() + begin,
                                                           ids.begin() + end)));
    for (StoredRequest& request : loaded) {
      if (request.resource.state() == v1::VolunteerRequest::STATE_OPEN) {
        open.push_back(std::move(request));
      }
    }
    if (static_cast<int>(open.size()) > kMaxBatchRequests) {
      return InvalidFieldError(
          "volunteer_requests",
          absl::StrCat("the municipality has more than ", kMaxBatchRequests,
                       " open requests; name at most that many"));
    }
  }
  return open;
}

absl::StatusOr<v1::AssignMatchesResponse> BatchAssignment::Assign(
    const auth::Principal& principal, absl::string_view parent,
    const google::protobuf::RepeatedPtrField<std::string>& request_names,
    bool validate_only) {
  ASSIGN_OR_RETURN(std::string m, ParseParent(parent, "parent"));
  RETURN_IF_ERROR(RequireStaff(principal, m));
  if (request_names.size() > kMaxBatchRequests) {
    return InvalidFieldError(
        "volunteer_requests",
        absl::StrCat("at most ", kMaxBatchRequests, " requests per batch"));
  }
  v1::AssignMatchesResponse response;
  std::vector<StoredRequest> stored;
  if (request_names.empty()) {
    ASSIGN_OR_RETURN(stored, OpenRequests(m));
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < request_names.size(); ++i) {
      const std::string field = absl::StrCat("volunteer_requests[", i, "]");
      ASSIGN_OR_RETURN(ParsedName name,
                       ParseVolunteerRequestName(request_names[i], field));
      if (name.municipality != m) {
        return InvalidFieldError(field, "must be a request of `parent`");
      }
      if (!seen.insert(name.id).second) {
        return InvalidFieldError(field, "is listed twice");
      }
      auto request = store_.LoadRequest(m, name.id);
      if (!request.ok()) return request.status();
      if (request->resource.state() != v1::VolunteerRequest::STATE_OPEN) {
        v1::Unassigned* skipped = response.add_unassigned();
        skipped->set_volunteer_request(request_names[i]);
        skipped->set_reason("the request is not open");
        continue;
      }
      stored.push_back(*std::move(request));
    }
  }

  std::vector<BatchRequest> batch;
  batch.reserve(stored.size());
  for (StoredRequest& request : stored) {
    auto prepared = suggestions_.Prepare(m, request.resource);
    if (!prepared.ok()) {
      v1::Unassigned* skipped = response.add_unassigned();
      skipped->set_volunteer_request(request.resource.name());
      skipped->set_reason(std::string(prepared.status().message()));
      continue;
    }
    std::set<std::string> passed(request.resource.passed_volunteers().begin(),
                                 request.resource.passed_volunteers().end());
    batch.push_back(
        {std::move(request), *std::move(prepared), std::move(passed)});
  }

  // Under the index's lock: each request's best eligible volunteers, and a
  // copy of every volunteer that appears (explained after the solve).
  const int keep = std::max<int>(1, static_cast<int>(batch.size()));
  std::vector<std::vector<std::pair<double, std::string>>> best(batch.size());
  std::map<std::string, Candidate> volunteers;  // by name: a canonical order
  RETURN_IF_ERROR(index_.Read(m, [&](const std::vector<Candidate>& candidates) {
    for (size_t r = 0; r < batch.size(); ++r) {
      std::vector<std::pair<double, const Candidate*>> kept;
      for (const Candidate& candidate : candidates) {
        if (!Eligible(batch[r].prepared.seeker, candidate) ||
            batch[r].passed.contains(candidate.name)) {
          continue;
        }
        kept.emplace_back(Score(batch[r].prepared.seeker, candidate,
                                batch[r].prepared.weights),
                          &candidate);
      }
      const auto better = [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first
                                  : a.second->name < b.second->name;
      };
      if (static_cast<int>(kept.size()) > keep) {
        std::nth_element(kept.begin(), kept.begin() + keep, kept.end(), better);
        kept.resize(keep);
      }
      std::sort(kept.begin(), kept.end(), better);
      for (const auto& [score, candidate] : kept) {
        volunteers.try_emplace(candidate->name, *candidate);
        best[r].emplace_back(score, candidate->name);
      }
    }
  }));

  std::map<std::string, int> volunteer_index;
  std::vector<const Candidate*> by_index;
  AssignmentProblem problem;
  problem.num_requests = static_cast<int>(batch.size());
  for (const auto& [name, candidate] : volunteers) {
    volunteer_index[name] = static_cast<int>(by_index.size());
    by_index.push_back(&candidate);
    problem.capacities.push_back(
        std::max(0, candidate.capacity - candidate.load));
  }
  for (size_t r = 0; r < batch.size(); ++r) {
    for (const auto& [score, name] : best[r]) {
      problem.edges.push_back(
          {static_cast<int>(r), volunteer_index.at(name), FixedPoint(score)});
    }
  }
  ASSIGN_OR_RETURN(AssignmentResult result, SolveAssignment(problem));

  const events::EventContext cause = EventContextFor(principal);
  double total = 0;
  for (size_t r = 0; r < batch.size(); ++r) {
    const v1::VolunteerRequest& request = batch[r].stored.resource;
    const int v = result.volunteer_of_request[r];
    if (v < 0) {
      v1::Unassigned* left = response.add_unassigned();
      left->set_volunteer_request(request.name());
      left->set_reason(best[r].empty()
                           ? "no volunteer meets the hard constraints and has "
                             "room"
                           : "every eligible volunteer was needed for "
                             "requests that score higher");
      continue;
    }
    v1::Suggestion suggestion = Explain(batch[r].prepared.seeker, *by_index[v],
                                        batch[r].prepared.weights);
    std::string match_name;
    if (!validate_only) {
      auto match = lifecycle_.ProposeSuggestion(
          cause, m, store::IdOf(request.name()), suggestion);
      if (!match.ok()) {
        v1::Unassigned* left = response.add_unassigned();
        left->set_volunteer_request(request.name());
        left->set_reason(absl::StrCat("proposing ", suggestion.volunteer(),
                                      " failed: ", match.status().message()));
        continue;
      }
      match_name = match->name();
    }
    total += suggestion.score();
    v1::Assignment* assignment = response.add_assignments();
    assignment->set_volunteer_request(request.name());
    *assignment->mutable_suggestion() = std::move(suggestion);
    assignment->set_match(match_name);
  }
  response.set_total_score(total);
  return response;
}

}  // namespace brobygger::matching
