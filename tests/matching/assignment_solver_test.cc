// The batch-assignment optimiser: exact against brute force on many small
// random instances (the greatest total, then the most requests assigned),
// feasible, independent of the order of the pairs, never worse than greedy.
#include "services/matching/assignment_solver.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace brobygger::matching {
namespace {

// The best (total score, number assigned) over every feasible assignment,
// tried one request at a time.
std::pair<int64_t, int> BruteForceBest(const AssignmentProblem& problem) {
  std::vector<std::vector<std::pair<int, int64_t>>> options(
      problem.num_requests);
  for (const auto& edge : problem.edges) {
    options[edge.request].emplace_back(edge.volunteer, edge.score);
  }
  std::vector<int> left = problem.capacities;
  std::pair<int64_t, int> best = {0, 0};
  std::function<void(int, int64_t, int)> search = [&](int r, int64_t total,
                                                      int assigned) {
    if (r == problem.num_requests) {
      best = std::max(best, std::make_pair(total, assigned));
      return;
    }
    search(r + 1, total, assigned);  // r unassigned
    for (const auto& [v, score] : options[r]) {
      if (left[v] == 0) continue;
      --left[v];
      search(r + 1, total + score, assigned + 1);
      ++left[v];
    }
  };
  search(0, 0, 0);
  return best;
}

int Assigned(const AssignmentResult& result) {
  return static_cast<int>(std::count_if(result.volunteer_of_request.begin(),
                                        result.volunteer_of_request.end(),
                                        [](int v) { return v >= 0; }));
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
  for (int instance = 0; instance < 1000; ++instance) {
    // Small score ranges (0 included) make many ties, which a wrong
    // tie-break or stop criterion would expose.
    const AssignmentProblem problem =
        RandomProblem(random, 6, 4, 2, instance % 2 == 0 ? 3 : 100);
    auto result = SolveAssignment(problem);
    ASSERT_TRUE(result.ok()) << result.status();
    ExpectFeasible(problem, *result);
    const auto [best_total, most_assigned] = BruteForceBest(problem);
    ASSERT_EQ(result->total_score, best_total) << "instance " << instance;
    ASSERT_EQ(Assigned(*result), most_assigned)
        << "instance " << instance
        << ": fewer requests assigned than the best total allows";
  }
}

TEST(AssignmentSolverTest, MatchesBruteForceWithDuplicatePairs) {
  std::mt19937 random(5);
  std::uniform_int_distribution<int> score(0, 20);
  for (int instance = 0; instance < 200; ++instance) {
    AssignmentProblem problem = RandomProblem(random, 5, 3, 2, 20);
    AssignmentProblem distinct = problem;  // the brute force sees each once
    for (size_t i = 0, n = problem.edges.size(); i < n; ++i) {
      AssignmentProblem::Edge again = problem.edges[i];
      again.score = score(random);
      problem.edges.push_back(again);
      distinct.edges[i].score = std::max(distinct.edges[i].score, again.score);
    }
    auto result = SolveAssignment(problem);
    ASSERT_TRUE(result.ok()) << result.status();
    ExpectFeasible(problem, *result);
    ASSERT_EQ(result->total_score, BruteForceBest(distinct).first)
        << "instance " << instance;
  }
}

TEST(AssignmentSolverTest, IsDeterministicAndIndependentOfEdgeOrder) {
  std::mt19937 random(7);
  for (int instance = 0; instance < 50; ++instance) {
    // Scores 0-3 over 40 requests: ties everywhere.
    AssignmentProblem problem = RandomProblem(random, 40, 30, 3, 3);
    auto first = SolveAssignment(problem);
    auto second = SolveAssignment(problem);
    std::shuffle(problem.edges.begin(), problem.edges.end(), random);
    auto shuffled = SolveAssignment(problem);
    ASSERT_TRUE(first.ok() && second.ok() && shuffled.ok());
    EXPECT_EQ(first->volunteer_of_request, second->volunteer_of_request);
    EXPECT_EQ(first->volunteer_of_request, shuffled->volunteer_of_request)
        << "instance " << instance;
  }
}

TEST(AssignmentSolverTest, BreaksTiesAsDocumented) {
  // Two requests want the one slot equally: the earlier keeps it.
  AssignmentProblem contested;
  contested.num_requests = 2;
  contested.capacities = {1};
  contested.edges = {{1, 0, 50}, {0, 0, 50}};
  auto result = SolveAssignment(contested);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->volunteer_of_request, (std::vector<int>{0, -1}));

  // Equally good free volunteers: the lowest index, whatever the order.
  AssignmentProblem indifferent;
  indifferent.num_requests = 1;
  indifferent.capacities = {1, 1, 1, 1};
  indifferent.edges = {{0, 3, 70}, {0, 1, 70}, {0, 2, 70}, {0, 0, 10}};
  result = SolveAssignment(indifferent);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->volunteer_of_request, (std::vector<int>{1}));

  // A pair scoring 0 is still made: same total, one more request helped.
  AssignmentProblem zero;
  zero.num_requests = 2;
  zero.capacities = {1, 1};
  zero.edges = {{0, 0, 0}, {1, 0, 40}, {1, 1, 40}};
  result = SolveAssignment(zero);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->total_score, 40);
  EXPECT_EQ(result->volunteer_of_request, (std::vector<int>{0, 1}));
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

TEST(AssignmentSolverTest, NoPairsLeavesEveryRequestUnassigned) {
  AssignmentProblem problem;
  problem.num_requests = 3;
  problem.capacities = {1};
  for (auto solve : {SolveAssignment, GreedyAssignment}) {
    auto result = solve(problem);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->volunteer_of_request, (std::vector<int>{-1, -1, -1}));
    EXPECT_EQ(result->total_score, 0);
  }
  AssignmentProblem nothing;  // no requests, no volunteers
  auto result = SolveAssignment(nothing);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->volunteer_of_request.empty());
}

TEST(AssignmentSolverTest, VolunteerWithoutRoomTakesNobody) {
  AssignmentProblem problem;
  problem.num_requests = 2;
  problem.capacities = {0, 1};
  problem.edges = {{0, 0, 100}, {1, 0, 100}, {1, 1, 5}};
  auto result = SolveAssignment(problem);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->volunteer_of_request, (std::vector<int>{-1, 1}));
  EXPECT_EQ(result->total_score, 5);
}

TEST(AssignmentSolverTest, MoreRequestsThanSlotsKeepsTheBestRequests) {
  // Five requests, three slots in all: the three best-scoring requests get
  // them, whatever their order.
  AssignmentProblem problem;
  problem.num_requests = 5;
  problem.capacities = {2, 1};
  problem.edges = {{0, 0, 10}, {1, 0, 40}, {1, 1, 40}, {2, 1, 30},
                   {3, 0, 50}, {3, 1, 20}, {4, 1, 5}};
  auto result = SolveAssignment(problem);
  ASSERT_TRUE(result.ok());
  ExpectFeasible(problem, *result);
  EXPECT_EQ(result->total_score, 40 + 30 + 50);
  EXPECT_EQ(result->volunteer_of_request, (std::vector<int>{-1, 0, 1, 0, -1}));
}

TEST(AssignmentSolverTest, RejectsInvalidInput) {
  AssignmentProblem valid;
  valid.num_requests = 2;
  valid.capacities = {1, 1};
  valid.edges = {{0, 0, 10}, {1, 1, 5}};
  std::vector<AssignmentProblem> invalid(7, valid);
  invalid[0].edges.push_back({2, 0, 1});   // request out of range
  invalid[1].edges.push_back({-1, 0, 1});  // negative request
  invalid[2].edges.push_back({0, 2, 1});   // volunteer out of range
  invalid[3].capacities[1] = -1;
  invalid[4].edges[0].score = -4;
  invalid[5].num_requests = -1;
  // Each score fits, but a total of both would overflow int64.
  invalid[6].edges[0].score = std::numeric_limits<int64_t>::max() / 2 + 1;
  invalid[6].edges[1].score = std::numeric_limits<int64_t>::max() / 2 + 1;
  for (size_t i = 0; i < invalid.size(); ++i) {
    EXPECT_EQ(SolveAssignment(invalid[i]).status().code(),
              absl::StatusCode::kInvalidArgument)
        << "case " << i;
    EXPECT_EQ(GreedyAssignment(invalid[i]).status().code(),
              absl::StatusCode::kInvalidArgument)
        << "case " << i;
  }
  // The largest scores whose total fits are fine.
  AssignmentProblem large = valid;
  large.edges[0].score = std::numeric_limits<int64_t>::max() / 2;
  large.edges[1].score = std::numeric_limits<int64_t>::max() / 2;
  auto result = SolveAssignment(large);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->total_score, std::numeric_limits<int64_t>::max() - 1);
}

TEST(AssignmentSolverTest, SolvesAMunicipalityScaleBatch) {
  // 300 requests over 2,000 volunteers with 1-3 slots, 300 pairs each;
  // and the same requests competing for 100 single-slot volunteers, where
  // requests must be moved and dropped.
  for (int volunteers : {2000, 100}) {
    std::mt19937 random(3);
    AssignmentProblem problem;
    problem.num_requests = 300;
    std::uniform_int_distribution<int> capacity(1, volunteers > 100 ? 3 : 1);
    for (int v = 0; v < volunteers; ++v) {
      problem.capacities.push_back(capacity(random));
    }
    std::uniform_int_distribution<int> volunteer(0, volunteers - 1);
    std::uniform_int_distribution<int> score(0, 100000);
    for (int r = 0; r < problem.num_requests; ++r) {
      for (int k = 0; k < 300; ++k) {
        problem.edges.push_back({r, volunteer(random), score(random)});
      }
    }
    auto exact = SolveAssignment(problem);
    auto greedy = GreedyAssignment(problem);
    ASSERT_TRUE(exact.ok() && greedy.ok());
    ExpectFeasible(problem, *exact);
    ExpectFeasible(problem, *greedy);
    EXPECT_GE(exact->total_score, greedy->total_score);
    if (volunteers == 100) {
      EXPECT_EQ(Assigned(*exact), 100) << "every slot is worth filling";
    }
  }
}

}  // namespace
}  // namespace brobygger::matching
