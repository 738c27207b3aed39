// The exact optimiser of batch assignment: requests to volunteers with
// capacities, maximising the total score of the pairs chosen (a
// maximum-weight b-matching), as a min-cost flow:
//
//   source -1-> request -1, cost -score-> volunteer -capacity-> sink
//
// solved by successive shortest paths (Dijkstra on reduced costs with
// Johnson potentials). Each path adds one request. Costs of successive
// paths never decrease (the min cost of k units is convex in k), so the
// first path that would not lower the cost ends the search: the flow
// found then has the least cost over every flow value, which is the
// greatest total score. Requests need not all be assigned: a pair that
// would lower the total is never chosen.
//
// Deterministic: the graph is built in input order and Dijkstra breaks
// ties by node number (requests before volunteers, lower index first), so
// the same problem always yields the same assignment.
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
// scores.
absl::StatusOr<AssignmentResult> SolveAssignment(
    const AssignmentProblem& problem);

// The greedy baseline the benchmark compares with: pairs by descending
// score (ties: lower request, then lower volunteer index), each taken
// while both sides are free.
absl::StatusOr<AssignmentResult> GreedyAssignment(
    const AssignmentProblem& problem);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_ASSIGNMENT_SOLVER_H_
