#include "services/matching/assignment_solver.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <utility>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"

namespace brobygger::matching {
namespace {

// What a pair is worth to the optimiser: its score, then one for the
// pair itself, packed as score * 2^32 + 1. Sums of gains compare like
// (total score, number of pairs) as long as fewer than 2^32 pairs are
// counted, so minimising the cost -gain maximises the score first and
// the number of assigned requests second. 128 bits hold every sum the
// solver forms: Validate() bounds the total score by 2^63, so gains,
// potentials and distances stay below about 2^98.
using Gain = absl::int128;
constexpr int kCountBits = 32;
constexpr Gain kUnreached = absl::Int128Max();

Gain GainOf(int64_t score) { return (Gain(score) << kCountBits) + 1; }

absl::Status Validate(const AssignmentProblem& problem) {
  if (problem.num_requests < 0) {
    return absl::InvalidArgumentError("num_requests must not be negative");
  }
  if (problem.edges.size() >=
      static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::InvalidArgumentError("too many pairs");
  }
  for (size_t v = 0; v < problem.capacities.size(); ++v) {
    if (problem.capacities[v] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("capacity of volunteer ", v, " is negative"));
    }
  }
  const int volunteers = static_cast<int>(problem.capacities.size());
  std::vector<int64_t> best(problem.num_requests, 0);
  for (const AssignmentProblem::Edge& edge : problem.edges) {
    if (edge.request < 0 || edge.request >= problem.num_requests ||
        edge.volunteer < 0 || edge.volunteer >= volunteers) {
      return absl::InvalidArgumentError(absl::StrCat(
          "pair (", edge.request, ", ", edge.volunteer, ") is out of range"));
    }
    if (edge.score < 0) {
      return absl::InvalidArgumentError(absl::StrCat("pair (", edge.request,
                                                     ", ", edge.volunteer,
                                                     ") has a negative score"));
    }
    best[edge.request] = std::max(best[edge.request], edge.score);
  }
  int64_t total = 0;
  for (int64_t score : best) {
    if (score > std::numeric_limits<int64_t>::max() - total) {
      return absl::InvalidArgumentError(
          "scores are too large: a total score could overflow");
    }
    total += score;
  }
  return absl::OkStatus();
}

// The distinct pairs grouped by request, in compressed rows: request r's
// pairs are [first[r], first[r + 1]), in input order, each with its
// highest score. Counting sort and a last-seen mark per volunteer keep
// it linear, without hashing.
struct PairsByRequest {
  std::vector<int> first;
  std::vector<int> volunteer;
  std::vector<int64_t> score;
};

PairsByRequest GroupByRequest(const AssignmentProblem& problem) {
  const int requests = problem.num_requests;
  std::vector<int> slot(requests + 1, 0);
  for (const auto& edge : problem.edges) ++slot[edge.request + 1];
  for (int r = 0; r < requests; ++r) slot[r + 1] += slot[r];
  std::vector<const AssignmentProblem::Edge*> sorted(problem.edges.size());
  for (const auto& edge : problem.edges) sorted[slot[edge.request]++] = &edge;

  PairsByRequest pairs;
  pairs.first.reserve(requests + 1);
  pairs.volunteer.reserve(sorted.size());
  pairs.score.reserve(sorted.size());
  std::vector<int> seen_at(problem.capacities.size(), -1);
  size_t next = 0;
  for (int r = 0; r < requests; ++r) {
    const int row_start = static_cast<int>(pairs.volunteer.size());
    pairs.first.push_back(row_start);
    for (; next < sorted.size() && sorted[next]->request == r; ++next) {
      const AssignmentProblem::Edge& edge = *sorted[next];
      int& at = seen_at[edge.volunteer];
      if (at >= row_start) {
        pairs.score[at] = std::max(pairs.score[at], edge.score);
        continue;
      }
      at = static_cast<int>(pairs.volunteer.size());
      pairs.volunteer.push_back(edge.volunteer);
      pairs.score.push_back(edge.score);
    }
  }
  pairs.first.push_back(static_cast<int>(pairs.volunteer.size()));
  return pairs;
}

// Successive shortest paths, one request at a time (see the header).
// Nodes: volunteers 0..V-1, requests V..V+R-1, the sink V+R. The residual
// network is implicit in the assignment:
//   request q -> each eligible volunteer but its own  cost -gain
//   request q -> sink (stay unassigned), if q is assigned or new  cost 0
//   volunteer v -> each request assigned to v         cost +gain
//   volunteer v -> sink, if v has a free slot          cost 0
// Unassigned earlier requests are reachable only from the sink, where a
// search ends, so no later path moves them; the residual network having
// no negative cycle is what guarantees that leaving them out stays
// optimal.
class Solver {
 public:
  Solver(const AssignmentProblem& problem, const PairsByRequest& pairs)
      : pairs_(pairs),
        capacities_(problem.capacities),
        volunteers_(static_cast<int>(problem.capacities.size())),
        sink_(volunteers_ + problem.num_requests),
        volunteer_of_(problem.num_requests, -1),
        score_of_(problem.num_requests, 0),
        load_(volunteers_, 0),
        head_(volunteers_, -1),
        next_(problem.num_requests, -1),
        prev_(problem.num_requests, -1),
        potential_(sink_ + 1, 0),
        distance_(sink_ + 1, kUnreached),
        via_(sink_ + 1, -1),
        via_score_(sink_ + 1, 0),
        settled_(sink_ + 1, 0) {}

  void Add(int request);

  AssignmentResult Result() const {
    AssignmentResult result;
    result.volunteer_of_request = volunteer_of_;
    for (size_t r = 0; r < volunteer_of_.size(); ++r) {
      if (volunteer_of_[r] >= 0) result.total_score += score_of_[r];
    }
    return result;
  }

 private:
  // (distance, rank): among equal distances the sink comes first, so a
  // search ends as soon as nothing queued is closer (with many equal
  // scores that skips most of the work), then nodes by number.
  using Entry = std::pair<Gain, int>;
  int Rank(int node) const { return node == sink_ ? -1 : node; }
  int NodeOfRank(int rank) const { return rank < 0 ? sink_ : rank; }

  bool IsVolunteer(int node) const { return node < volunteers_; }
  int Node(int request) const { return volunteers_ + request; }
  int Request(int node) const { return node - volunteers_; }

  void Search(int source);
  void Expand(int node);
  void Relax(int from, int to, Gain reduced_cost, int64_t score);
  void Augment(int source);
  // The volunteers' lists of assigned requests are intrusive (next_,
  // prev_), so moving a request costs no allocation.
  void Attach(int request, int volunteer, int64_t score);
  void Detach(int request);

  const PairsByRequest& pairs_;
  const std::vector<int>& capacities_;
  const int volunteers_;
  const int sink_;

  std::vector<int> volunteer_of_;
  std::vector<int64_t> score_of_;
  std::vector<int> load_;
  std::vector<int> head_;
  std::vector<int> next_;
  std::vector<int> prev_;

  // Johnson potentials: every residual arc's reduced cost
  // cost + potential[from] - potential[to] is non-negative, so Dijkstra
  // applies although pair costs are negative.
  std::vector<Gain> potential_;

  // Dijkstra's state; only the touched nodes are reset after a search.
  std::vector<Gain> distance_;
  std::vector<int> via_;            // the node the best path came from
  std::vector<int64_t> via_score_;  // the pair's score, request -> volunteer
  std::vector<char> settled_;
  std::vector<int> touched_;
  std::vector<Entry> heap_;
};

void Solver::Add(int request) {
  const int source = Node(request);
  // The new request's arcs must start with non-negative reduced costs.
  Gain p = potential_[sink_];
  for (int a = pairs_.first[request]; a < pairs_.first[request + 1]; ++a) {
    p = std::max(p, potential_[pairs_.volunteer[a]] + GainOf(pairs_.score[a]));
  }
  potential_[source] = p;

  Search(source);
  // The sink is always reached (the request may stay unassigned). The
  // usual update adds min(distance, distance to the sink) to every
  // potential; shifted by the sink's distance (a constant, which changes
  // no reduced cost) it touches only the nodes settled before the sink.
  // Afterwards the arcs of the path found have reduced cost 0 and every
  // other residual arc still a non-negative one.
  const Gain to_sink = distance_[sink_];
  for (int node : touched_) {
    if (settled_[node]) potential_[node] += distance_[node] - to_sink;
  }
  Augment(source);

  for (int node : touched_) {
    distance_[node] = kUnreached;
    via_[node] = -1;
    settled_[node] = 0;
  }
  touched_.clear();
}

void Solver::Search(int source) {
  heap_.clear();
  distance_[source] = 0;
  touched_.push_back(source);
  heap_.push_back({0, Rank(source)});
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<Entry>());
    const int node = NodeOfRank(heap_.back().second);
    heap_.pop_back();
    if (settled_[node]) continue;
    settled_[node] = 1;
    // Nodes still queued are no closer than the sink: they cannot shorten
    // the path found.
    if (node == sink_) return;
    Expand(node);
  }
}

void Solver::Expand(int node) {
  if (IsVolunteer(node)) {
    const int v = node;
    if (load_[v] < capacities_[v]) {
      Relax(v, sink_, potential_[v] - potential_[sink_], 0);
    }
    for (int q = head_[v]; q >= 0; q = next_[q]) {
      Relax(v, Node(q),
            GainOf(score_of_[q]) + potential_[v] - potential_[Node(q)], 0);
    }
    return;
  }
  const int q = Request(node);
  // Staying unassigned first: an equally good path that moves others
  // never replaces it (Relax keeps the first of equal distances).
  Relax(node, sink_, potential_[node] - potential_[sink_], 0);
  for (int a = pairs_.first[q]; a < pairs_.first[q + 1]; ++a) {
    const int v = pairs_.volunteer[a];
    if (v == volunteer_of_[q]) continue;
    Relax(node, v, potential_[node] - GainOf(pairs_.score[a]) - potential_[v],
          pairs_.score[a]);
  }
}

void Solver::Relax(int from, int to, Gain reduced_cost, int64_t score) {
  if (settled_[to]) return;
  const Gain candidate = distance_[from] + reduced_cost;
  if (candidate >= distance_[to]) return;
  if (distance_[to] == kUnreached) touched_.push_back(to);
  distance_[to] = candidate;
  via_[to] = from;
  via_score_[to] = score;
  heap_.push_back({candidate, Rank(to)});
  std::push_heap(heap_.begin(), heap_.end(), std::greater<Entry>());
}

void Solver::Augment(int source) {
  // The path alternates requests and volunteers and ends at the sink
  // either from a volunteer with a free slot or from a request that gives
  // up its volunteer. Walking back, each volunteer on it takes the request
  // before it, which leaves its previous volunteer.
  int node = via_[sink_];
  if (!IsVolunteer(node)) {
    Detach(Request(node));
    if (node == source) return;
    node = via_[node];
  }
  while (true) {
    const int volunteer = node;
    const int from = via_[volunteer];
    Detach(Request(from));
    Attach(Request(from), volunteer, via_score_[volunteer]);
    if (from == source) return;
    node = via_[from];
  }
}

void Solver::Attach(int request, int volunteer, int64_t score) {
  volunteer_of_[request] = volunteer;
  score_of_[request] = score;
  ++load_[volunteer];
  prev_[request] = -1;
  next_[request] = head_[volunteer];
  if (head_[volunteer] >= 0) prev_[head_[volunteer]] = request;
  head_[volunteer] = request;
}

void Solver::Detach(int request) {
  const int volunteer = volunteer_of_[request];
  if (volunteer < 0) return;
  --load_[volunteer];
  if (prev_[request] >= 0) {
    next_[prev_[request]] = next_[request];
  } else {
    head_[volunteer] = next_[request];
  }
  if (next_[request] >= 0) prev_[next_[request]] = prev_[request];
  volunteer_of_[request] = -1;
  score_of_[request] = 0;
}

}  // namespace

absl::StatusOr<AssignmentResult> SolveAssignment(
    const AssignmentProblem& problem) {
  if (absl::Status status = Validate(problem); !status.ok()) return status;
  const PairsByRequest pairs = GroupByRequest(problem);
  Solver solver(problem, pairs);
  for (int r = 0; r < problem.num_requests; ++r) solver.Add(r);
  return solver.Result();
}

absl::StatusOr<AssignmentResult> GreedyAssignment(
    const AssignmentProblem& problem) {
  if (absl::Status status = Validate(problem); !status.ok()) return status;
  const PairsByRequest pairs = GroupByRequest(problem);
  std::vector<AssignmentProblem::Edge> edges;
  edges.reserve(pairs.volunteer.size());
  for (int r = 0; r < problem.num_requests; ++r) {
    for (int a = pairs.first[r]; a < pairs.first[r + 1]; ++a) {
      edges.push_back({r, pairs.volunteer[a], pairs.score[a]});
    }
  }
  std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.request != b.request) return a.request < b.request;
    return a.volunteer < b.volunteer;
  });
  AssignmentResult result;
  result.volunteer_of_request.assign(problem.num_requests, -1);
  std::vector<int> left = problem.capacities;
  for (const auto& edge : edges) {
    if (result.volunteer_of_request[edge.request] >= 0) continue;
    if (left[edge.volunteer] <= 0) continue;
    result.volunteer_of_request[edge.request] = edge.volunteer;
    --left[edge.volunteer];
    result.total_score += edge.score;
  }
  return result;
}

}  // namespace brobygger::matching
