#include "services/matching/assignment_solver.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace brobygger::matching {
namespace {

constexpr int64_t kInfinity = std::numeric_limits<int64_t>::max() / 4;

absl::Status Validate(const AssignmentProblem& problem) {
  if (problem.num_requests < 0) {
    return absl::InvalidArgumentError("num_requests must not be negative");
  }
  for (size_t v = 0; v < problem.capacities.size(); ++v) {
    if (problem.capacities[v] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("capacity of volunteer ", v, " is negative"));
    }
  }
  const int volunteers = static_cast<int>(problem.capacities.size());
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
  }
  return absl::OkStatus();
}

// The distinct pairs in input order, each with its highest score.
std::vector<AssignmentProblem::Edge> DistinctEdges(
    const AssignmentProblem& problem) {
  absl::flat_hash_map<std::pair<int, int>, size_t> seen;
  std::vector<AssignmentProblem::Edge> out;
  out.reserve(problem.edges.size());
  for (const AssignmentProblem::Edge& edge : problem.edges) {
    auto [it, inserted] =
        seen.emplace(std::make_pair(edge.request, edge.volunteer), out.size());
    if (inserted) {
      out.push_back(edge);
    } else {
      out[it->second].score = std::max(out[it->second].score, edge.score);
    }
  }
  return out;
}

// A residual graph in compressed rows: arcs of node u are
// arcs[first[u] .. first[u + 1]).
class FlowGraph {
 public:
  struct Arc {
    int to;
    int reverse;  // index of the opposite arc
    int capacity;
    int64_t cost;
  };

  explicit FlowGraph(int nodes) : nodes_(nodes), degree_(nodes, 0) {}

  void Count(int from, int to) {
    ++degree_[from];
    ++degree_[to];
  }
  void Finish() {
    first_.assign(nodes_ + 1, 0);
    for (int u = 0; u < nodes_; ++u) first_[u + 1] = first_[u] + degree_[u];
    arcs_.resize(first_[nodes_]);
    fill_ = std::vector<int>(first_.begin(), first_.end() - 1);
  }
  // After Finish(), in the same order as the Count() calls.
  void Add(int from, int to, int capacity, int64_t cost) {
    const int forward = fill_[from]++;
    const int backward = fill_[to]++;
    arcs_[forward] = {to, backward, capacity, cost};
    arcs_[backward] = {from, forward, 0, -cost};
  }

  int nodes() const { return nodes_; }
  int begin(int u) const { return first_[u]; }
  int end(int u) const { return first_[u + 1]; }
  Arc& arc(int index) { return arcs_[index]; }

 private:
  int nodes_;
  std::vector<int> degree_;
  std::vector<int> first_;
  std::vector<int> fill_;
  std::vector<Arc> arcs_;
};

}  // namespace

absl::StatusOr<AssignmentResult> SolveAssignment(
    const AssignmentProblem& problem) {
  if (absl::Status status = Validate(problem); !status.ok()) return status;
  const int requests = problem.num_requests;
  const int volunteers = static_cast<int>(problem.capacities.size());
  const std::vector<AssignmentProblem::Edge> edges = DistinctEdges(problem);
  // Nodes: source 0, requests 1..R, volunteers R+1..R+V, sink R+V+1.
  const int source = 0;
  const int sink = requests + volunteers + 1;
  const auto request_node = [](int r) { return 1 + r; };
  const auto volunteer_node = [requests](int v) { return 1 + requests + v; };

  FlowGraph graph(sink + 1);
  for (int r = 0; r < requests; ++r) graph.Count(source, request_node(r));
  for (const auto& edge : edges) {
    graph.Count(request_node(edge.request), volunteer_node(edge.volunteer));
  }
  for (int v = 0; v < volunteers; ++v) graph.Count(volunteer_node(v), sink);
  graph.Finish();
  for (int r = 0; r < requests; ++r) graph.Add(source, request_node(r), 1, 0);
  for (const auto& edge : edges) {
    graph.Add(request_node(edge.request), volunteer_node(edge.volunteer), 1,
              -edge.score);
  }
  for (int v = 0; v < volunteers; ++v) {
    graph.Add(volunteer_node(v), sink, problem.capacities[v], 0);
  }

  // Initial potentials: shortest distances in the (acyclic) network, so
  // every reduced cost starts non-negative. Unreached volunteers keep 0,
  // which is at least the sink's potential.
  std::vector<int64_t> potential(graph.nodes(), 0);
  for (const auto& edge : edges) {
    int64_t& p = potential[volunteer_node(edge.volunteer)];
    p = std::min(p, -edge.score);
  }
  for (int v = 0; v < volunteers; ++v) {
    potential[sink] = std::min(potential[sink], potential[volunteer_node(v)]);
  }

  std::vector<int64_t> distance(graph.nodes());
  std::vector<int> via(graph.nodes());  // arc index that reached the node
  std::vector<char> done(graph.nodes());
  using Entry = std::pair<int64_t, int>;  // (distance, node): ties by node
  while (true) {
    std::fill(distance.begin(), distance.end(), kInfinity);
    std::fill(via.begin(), via.end(), -1);
    std::fill(done.begin(), done.end(), 0);
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
    distance[source] = 0;
    queue.push({0, source});
    while (!queue.empty()) {
      const auto [d, u] = queue.top();
      queue.pop();
      if (done[u]) continue;
      done[u] = 1;
      if (u == sink) break;  // later nodes cannot shorten the path found
      for (int a = graph.begin(u); a < graph.end(u); ++a) {
        const FlowGraph::Arc& arc = graph.arc(a);
        if (arc.capacity <= 0) continue;
        const int64_t next = d + arc.cost + potential[u] - potential[arc.to];
        if (next < distance[arc.to]) {
          distance[arc.to] = next;
          via[arc.to] = a;
          queue.push({next, arc.to});
        }
      }
    }
    if (distance[sink] >= kInfinity) break;
    const int64_t path_cost =
        distance[sink] + potential[sink] - potential[source];
    if (path_cost >= 0) break;  // no further gain: optimal (see header)
    // Nodes beyond the sink's distance are treated as at it, which keeps
    // the reduced costs of every residual arc non-negative.
    for (int u = 0; u < graph.nodes(); ++u) {
      potential[u] += std::min(distance[u], distance[sink]);
    }
    for (int node = sink; node != source;) {
      FlowGraph::Arc& arc = graph.arc(via[node]);
      FlowGraph::Arc& back = graph.arc(arc.reverse);
      arc.capacity -= 1;
      back.capacity += 1;
      node = back.to;
    }
  }

  AssignmentResult result;
  result.volunteer_of_request.assign(requests, -1);
  for (int r = 0; r < requests; ++r) {
    const int u = request_node(r);
    for (int a = graph.begin(u); a < graph.end(u); ++a) {
      const FlowGraph::Arc& arc = graph.arc(a);
      const bool to_volunteer = arc.to > requests && arc.to < sink;
      if (to_volunteer && arc.capacity == 0 && arc.cost <= 0) {
        result.volunteer_of_request[r] = arc.to - 1 - requests;
        result.total_score += -arc.cost;
        break;
      }
    }
  }
  return result;
}

absl::StatusOr<AssignmentResult> GreedyAssignment(
    const AssignmentProblem& problem) {
  if (absl::Status status = Validate(problem); !status.ok()) return status;
  std::vector<AssignmentProblem::Edge> edges = DistinctEdges(problem);
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
