// The exact optimiser of batch assignment: requests to volunteers with
// capacities, maximising the total score of the pairs chosen (a
// maximum-weight b-matching), as a min-cost flow in which every request
// sends one unit to the sink, either through an eligible volunteer
// (cost -score) or through its own "unassigned" arc (cost 0):
//
//   request -1, cost -score-> volunteer -capacity-> sink
//   request -1, cost 0-> sink
//
// solved by successive shortest paths, one request at a time (the
// Hungarian method for rectangular problems): adding request r runs one
// Dijkstra from r on reduced costs (Johnson potentials) and augments
// along the shortest path to the sink, which may move earlier requests to
// other volunteers or leave one of them unassigned. Optimal because the
// residual network never has a negative cycle: the new request has no
// incoming residual arc, so it lies on no cycle, and augmenting along a
// shortest path keeps every reduced cost non-negative. A flow with no
// negative residual cycle is a min-cost flow, so after the last request
// the total score is the greatest possible.
//
// Ties: among assignments with the greatest total score the solver
// returns one with the most assigned requests (a pair scoring 0 is still
// worth making). Costs carry the count as a second, lower-order part, so
// the same argument proves both. Remaining ties follow the search order,
// which depends only on the input's pairs and scores (not on the order
// the edges are listed in): requests are added in index order, a request
// stays unassigned rather than displace an earlier one on equal terms,
// and of equally good free volunteers a request takes the lowest index.
// The same problem always yields the same assignment.
//
// Cost: one Dijkstra per request that stops at the sink, so usually a
// little more than one pass over the request's own pairs; 1,000 requests
// with 1,000,000 pairs take well under a second.
#ifndef BROBYGGER_SERVICES_MATCHING_ASSIGNMENT_SOLVER_H_
#define BROBYGGER_SERVICES_MATCHING_ASSIGNMENT_SOLVER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"

namespace brobygger::matching {

struct AssignmentProblem {
  int num_requests = 0;
  // Per volunteer: how many more requests it can take (>= 0).
  std::vector<int> capacities;
  // An eligible pair and its score (>= 0, fixed point: callers scale
  // fractional scores, e.g. by 1000). A pair listed twice counts once,
  // with its higher score.
  struct Edge {
    int request = 0;
    int volunteer = 0;
    int64_t score = 0;
  };
  std::vector<Edge> edges;
};

struct AssignmentResult {
  // Per request: the volunteer's index, or -1.
  std::vector<int> volunteer_of_request;
  int64_t total_score = 0;
};

// INVALID_ARGUMENT for out-of-range indices, negative capacities or
// scores, or scores so large that a total could overflow int64 (the sum
// over requests of each request's highest score must fit).
absl::StatusOr<AssignmentResult> SolveAssignment(
    const AssignmentProblem& problem);

// The greedy baseline the benchmark compares with: pairs by descending
// score (ties: lower request, then lower volunteer index), each taken
// while both sides are free. Validates like SolveAssignment.
absl::StatusOr<AssignmentResult> GreedyAssignment(
    const AssignmentProblem& problem);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_ASSIGNMENT_SOLVER_H_
