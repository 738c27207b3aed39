// The batch-assignment optimiser: exact against brute force on many small
// random instances, feasible, deterministic, never worse than greedy.
#include "services/matching/assignment_solver.h"

#include <functional>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace brobygger::matching {
namespace {

// Every feasible assignment, tried one request at a time.
int64_t BruteForceBest(const AssignmentProblem& problem) {
  std::vector<std::vector<std::pair<int, int64_t>>> options(
      problem.num_requests);
  for (const auto& edge : problem.edges) {
    options[edge.request].emplace_back(edge.volunteer, edge.score);
  }
  std::vector<int> left = problem.capacities;
  int64_t best = 0;
  std::function<void(int, int64_t)> search = [&](int r, int64_t total) {
    if (r == problem.num_requests) {
      best = std::max(best, total);
      return;
    }
    search(r + 1, total);  // r unassigned
    for (const auto& [v, score] : options[r]) {
      if (left[v] == 0) continue;
      --left[v];
      search(r + 1, total + score);
      ++left[v];
    }
  };
  search(0, 0);
  return best;
}

// Feasible: only listed pairs, capacities respected, total as reported.
void ExpectFeasible(const AssignmentProblem& problem,
                    const AssignmentResult& result) {
  ASSERT_EQ(static_cast<int>(result.volunteer_of_request.size()),
            problem.num_requests);
  std::vector<int> used(problem.capacities.size(), 0);
  int64_t total = 0;
  for (int r = 0; r < problem.num_requests; ++r) {
    const int v = result.volunteer_of_request[r];
    if (v < 0) continue;
    int64_t score = -1;
    for (const auto& edge : problem.edges) {
      if (edge.request == r && edge.volunteer == v) {
        score = std::max(score, edge.score);
      }
    }
    ASSERT_GE(score, 0) << "request " << r << " got an ineligible volunteer";
    total += score;
    ++used[v];
  }
  for (size_t v = 0; v < used.size(); ++v) {
    EXPECT_LE(used[v], problem.capacities[v]) << "volunteer " << v;
  }
  EXPECT_EQ(total, result.total_score);
}

AssignmentProblem RandomProblem(std::mt19937& random, int max_requests,
                                int max_volunteers, int max_capacity,
                                int max_score) {
  std::uniform_int_distribution<int> requests(1, max_requests);
  std::uniform_int_distribution<int> volunteers(1, max_volunteers);
  std::uniform_int_distribution<int> capacity(0, max_capacity);
  std::uniform_int_distribution<int> score(0, max_score);
  std::bernoulli_distribution eligible(0.6);
  AssignmentProblem problem;
  problem.num_requests = requests(random);
  const int v_count = volunteers(random);
  for (int v = 0; v < v_count; ++v)
    problem.capacities.push_back(capacity(random));
  for (int r = 0; r < problem.num_requests; ++r) {
    for (int v = 0; v < v_count; ++v) {
      if (eligible(random)) problem.edges.push_back({r, v, score(random)});
    }
  }
  return problem;
}

TEST(AssignmentSolverTest, MatchesBruteForceOnSmallRandomInstances) {
  std::mt19937 random(20261124);
  for (int instance = 0; instance < 500; ++instance) {
    // Small score ranges make many ties, which a wrong tie-break would
    // expose.
    const AssignmentProblem problem =
        RandomProblem(random, 6, 4, 2, instance % 2 == 0 ? 5 : 100);
    auto result = SolveAssignment(problem);
    ASSERT_TRUE(result.ok()) << result.status();
    ExpectFeasible(problem, *result);
    ASSERT_EQ(result->total_score, BruteForceBest(problem))
        << "instance " << instance;
  }
}

TEST(AssignmentSolverTest, IsDeterministic) {
  std::mt19937 random(7);
  const AssignmentProblem problem = RandomProblem(random, 40, 30, 3, 3);
  auto first = SolveAssignment(problem);
  auto second = SolveAssignment(problem);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->volunteer_of_request, second->volunteer_of_request);
}

TEST(AssignmentSolverTest, BeatsGreedyWhereGreedyIsShortSighted) {
  // Greedy gives request 0 its best volunteer (90), leaving request 1
  // nobody; the optimum gives request 0 its second best (80) and request 1
  // the first (85): 165 against 90.
  AssignmentProblem problem;
  problem.num_requests = 2;
  problem.capacities = {1, 1};
  problem.edges = {{0, 0, 90}, {0, 1, 80}, {1, 0, 85}};
  auto exact = SolveAssignment(problem);
  auto greedy = GreedyAssignment(problem);
  ASSERT_TRUE(exact.ok() && greedy.ok());
  EXPECT_EQ(exact->total_score, 165);
  EXPECT_EQ(greedy->total_score, 90);
  EXPECT_EQ(exact->volunteer_of_request, (std::vector<int>{1, 0}));
}

TEST(AssignmentSolverTest, GreedyIsFeasibleAndNeverBetter) {
  std::mt19937 random(99);
  for (int instance = 0; instance < 200; ++instance) {
    const AssignmentProblem problem = RandomProblem(random, 12, 8, 2, 50);
    auto exact = SolveAssignment(problem);
    auto greedy = GreedyAssignment(problem);
    ASSERT_TRUE(exact.ok() && greedy.ok());
    ExpectFeasible(problem, *greedy);
    EXPECT_LE(greedy->total_score, exact->total_score);
  }
}

TEST(AssignmentSolverTest, EdgeCases) {
  AssignmentProblem empty;
  empty.num_requests = 3;
  empty.capacities = {1};
  auto none = SolveAssignment(empty);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->volunteer_of_request, (std::vector<int>{-1, -1, -1}));

  AssignmentProblem full;
  full.num_requests = 3;
  full.capacities = {0, 1};
  full.edges = {{0, 0, 10}, {1, 1, 5}, {2, 1, 7}};
  auto result = SolveAssignment(full);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->volunteer_of_request, (std::vector<int>{-1, -1, 1}))
      << "a volunteer without room takes nobody; the better request wins";

  AssignmentProblem duplicate;
  duplicate.num_requests = 1;
  duplicate.capacities = {1};
  duplicate.edges = {{0, 0, 3}, {0, 0, 9}};
  EXPECT_EQ(SolveAssignment(duplicate)->total_score, 9);

  AssignmentProblem bad = full;
  bad.edges.push_back({5, 0, 1});
  EXPECT_EQ(SolveAssignment(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = full;
  bad.capacities[0] = -1;
  EXPECT_EQ(SolveAssignment(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  bad = full;
  bad.edges[0].score = -4;
  EXPECT_EQ(GreedyAssignment(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(AssignmentSolverTest, SolvesAMunicipalityScaleBatch) {
  std::mt19937 random(3);
  AssignmentProblem problem;
  problem.num_requests = 300;
  std::uniform_int_distribution<int> capacity(1, 3);
  for (int v = 0; v < 2000; ++v) problem.capacities.push_back(capacity(random));
  std::uniform_int_distribution<int> volunteer(0, 1999);
  std::uniform_int_distribution<int> score(1, 100000);
  for (int r = 0; r < problem.num_requests; ++r) {
    for (int k = 0; k < 100; ++k) {
      problem.edges.push_back({r, volunteer(random), score(random)});
    }
  }
  auto exact = SolveAssignment(problem);
  auto greedy = GreedyAssignment(problem);
  ASSERT_TRUE(exact.ok() && greedy.ok());
  ExpectFeasible(problem, *exact);
  EXPECT_GE(exact->total_score, greedy->total_score);
}

}  // namespace
}  // namespace brobygger::matching
