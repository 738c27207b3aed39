// matching_bench: SuggestMatches with 10,000 and 100,000 volunteers in one
// municipality (p50/p99 latency and QPS), and batch assignment of 1,000
// requests over 10,000 volunteers (time and total score, exact against
// greedy in the same run). See bench/README.md.
//
// The matching domain runs in this process against a private redis-server
// with the production durability settings (AOF, appendfsync always);
// volunteers and newcomers enter through the registry projection exactly
// as the follower applies the registry's events. The figures are the
// domain's (candidate index, scoring, Redis round trips), without the gRPC
// hop, which registry_bench and catalogue_bench measure for their
// services.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/harness/load.h"
#include "bench/harness/process_memory.h"
#include "bench/harness/program_start.h"
#include "bench/harness/report.h"
#include "bench/matching_bench/population.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/events/event_bus.h"
#include "services/matching/assignment_solver.h"
#include "services/matching/matching.h"
#include "services/matching/scoring.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_principals.h"

ABSL_FLAG(
    std::string, volunteers, "10000,100000",
    "Comma-separated sizes of the municipalities SuggestMatches runs in.");
ABSL_FLAG(int, threads, 2, "Concurrent SuggestMatches callers.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10),
          "How long SuggestMatches is measured per size.");
ABSL_FLAG(int, requests, 1000, "Open requests in the batch assignment.");
ABSL_FLAG(int, batch_volunteers, 10000,
          "Volunteers in the batch assignment's municipality.");

namespace {

using namespace brobygger;  // NOLINT: a main() wiring the parts.
namespace mv1 = ::brobygger::matching::v1;
namespace rv1 = ::brobygger::registry::v1;

// Requests the SuggestMatches load picks from.
constexpr int kQueryRequests = 500;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "matching_bench: %s\n", status.ToString().c_str());
  return EXIT_FAILURE;
}

class NoCatalogue : public matching::ActivitySource {
 public:
  absl::StatusOr<std::vector<catalogue::v1::SearchResult>> Search(
      absl::string_view, absl::string_view, const catalogue::v1::ActivityQuery&,
      int) override {
    return absl::UnavailableError("not part of this benchmark");
  }
};

// Feeds actors to matching the way its follower applies registry events.
absl::Status Feed(matching::Matching& m, const std::string& municipality,
                  const std::vector<rv1::Actor>& actors) {
  for (const rv1::Actor& actor : actors) {
    rv1::ActorCreated created;
    *created.mutable_actor() = actor;
    const events::v1::Event event = events::MakeEvent(
        {"registry", "bench", ""}, municipality, actor.name(), created);
    auto change = m.projection().Apply(event);
    if (!change.ok()) return change.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> CreateRequests(
    matching::Matching& m, const std::string& municipality,
    const std::vector<rv1::Actor>& newcomers) {
  const auth::Principal coordinator = test::MakePrincipal(
      "bench-coordinator", auth::Role::kCoordinator, municipality);
  std::vector<std::string> names;
  for (const rv1::Actor& newcomer : newcomers) {
    mv1::VolunteerRequest request;
    request.set_newcomer(newcomer.name());
    request.set_kind(mv1::MATCH_KIND_RECEPTION_BUDDY);
    auto created = m.requests().Create(coordinator, municipality, request, "");
    if (!created.ok()) return created.status();
    names.push_back(created->name());
  }
  return names;
}

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p / 100 * sorted.size()));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

absl::Status BenchSuggest(matching::Matching& m, int volunteers) {
  const std::string municipality = absl::StrCat("bench-", volunteers);
  std::fprintf(stderr, "matching_bench: seeding %d volunteers\n", volunteers);
  absl::Time started = absl::Now();
  if (absl::Status s =
          Feed(m, municipality,
               bench::MakeVolunteers(municipality, volunteers, 1000, 7));
      !s.ok()) {
    return s;
  }
  const absl::Duration seeding = absl::Now() - started;
  const auto newcomers =
      bench::MakeNewcomers(municipality, kQueryRequests, 1000 + volunteers, 11);
  if (absl::Status s = Feed(m, municipality, newcomers); !s.ok()) return s;
  auto requests = CreateRequests(m, municipality, newcomers);
  if (!requests.ok()) return requests.status();

  const auth::Principal coordinator = test::MakePrincipal(
      "bench-coordinator", auth::Role::kCoordinator, municipality);
  started = absl::Now();
  auto first = m.suggestions().Suggest(coordinator, requests->front(), 10);
  if (!first.ok()) return first.status();
  const absl::Duration index_build = absl::Now() - started;

  const int threads = std::max(1, absl::GetFlag(FLAGS_threads));
  std::vector<std::vector<double>> latencies(threads);
  std::atomic<int64_t> errors{0};
  std::atomic<int64_t> eligible{0};
  const absl::Time deadline = absl::Now() + absl::GetFlag(FLAGS_duration);
  const double cpu_before = bench::ProcessCpuSeconds(0);
  started = absl::Now();
  std::vector<std::thread> callers;
  for (int t = 0; t < threads; ++t) {
    callers.emplace_back([&, t] {
      std::mt19937 random(t);
      std::uniform_int_distribution<size_t> pick(0, requests->size() - 1);
      while (absl::Now() < deadline) {
        const absl::Time call = absl::Now();
        auto got =
            m.suggestions().Suggest(coordinator, (*requests)[pick(random)], 10);
        if (!got.ok()) {
          ++errors;
          continue;
        }
        eligible += got->eligible_count();
        latencies[t].push_back(absl::ToDoubleMicroseconds(absl::Now() - call));
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - started);
  const double cpu = bench::ProcessCpuSeconds(0) - cpu_before;
  std::vector<double> all;
  for (auto& part : latencies) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end());
  auto memory = bench::ReadProcessMemory(getpid());
  std::printf(
      "| %d | %.0f /s | %.0f µs | %.0f µs | %.0f µs | %.1f ms | %lld | %.0f "
      "| %.1f s (%.0f /s) | %.1f s | %s |\n",
      volunteers, all.size() / seconds, Percentile(all, 50),
      Percentile(all, 99), Percentile(all, 99.9),
      cpu * 1000 / std::max<size_t>(1, all.size()),
      static_cast<long long>(errors.load()),
      all.empty() ? 0.0 : static_cast<double>(eligible.load()) / all.size(),
      absl::ToDoubleSeconds(seeding),
      volunteers / std::max(1e-9, absl::ToDoubleSeconds(seeding)),
      absl::ToDoubleSeconds(index_build),
      memory.ok() ? bench::FormatMebibytes(memory->resident_bytes).c_str()
                  : "?");
  std::fflush(stdout);
  return absl::OkStatus();
}

absl::Status BenchBatch(matching::Matching& m) {
  const std::string municipality = "bench-batch";
  const int volunteers = absl::GetFlag(FLAGS_batch_volunteers);
  const int request_count = absl::GetFlag(FLAGS_requests);
  std::fprintf(
      stderr, "matching_bench: seeding the batch: %d volunteers, %d requests\n",
      volunteers, request_count);
  if (absl::Status s =
          Feed(m, municipality,
               bench::MakeVolunteers(municipality, volunteers, 1000, 21));
      !s.ok()) {
    return s;
  }
  const auto newcomers =
      bench::MakeNewcomers(municipality, request_count, 1000 + volunteers, 23);
  if (absl::Status s = Feed(m, municipality, newcomers); !s.ok()) return s;
  auto names = CreateRequests(m, municipality, newcomers);
  if (!names.ok()) return names.status();

  // The whole problem, every eligible pair, to compare the exact optimum
  // with greedy on the same edges.
  std::vector<matching::Suggestions::Prepared> prepared;
  for (const std::string& name : *names) {
    auto request = m.requests().Get(
        test::MakePrincipal("c", auth::Role::kCoordinator, municipality), name);
    if (!request.ok()) return request.status();
    auto p = m.suggestions().Prepare(municipality, *request);
    if (!p.ok()) return p.status();
    prepared.push_back(*std::move(p));
  }
  matching::AssignmentProblem problem;
  problem.num_requests = static_cast<int>(prepared.size());
  absl::Time started = absl::Now();
  if (absl::Status s = m.index().Read(
          municipality,
          [&](const std::vector<matching::Candidate>& candidates) {
            for (const matching::Candidate& c : candidates) {
              problem.capacities.push_back(std::max(0, c.capacity - c.load));
            }
            for (size_t r = 0; r < prepared.size(); ++r) {
              for (size_t v = 0; v < candidates.size(); ++v) {
                if (!matching::Eligible(prepared[r].seeker, candidates[v]))
                  continue;
                const double score = matching::Score(
                    prepared[r].seeker, candidates[v], prepared[r].weights);
                problem.edges.push_back(
                    {static_cast<int>(r), static_cast<int>(v),
                     static_cast<int64_t>(std::llround(score * 1000))});
              }
            }
          });
      !s.ok()) {
    return s;
  }
  const absl::Duration scoring = absl::Now() - started;
  started = absl::Now();
  auto exact = matching::SolveAssignment(problem);
  const absl::Duration exact_time = absl::Now() - started;
  started = absl::Now();
  auto greedy = matching::GreedyAssignment(problem);
  const absl::Duration greedy_time = absl::Now() - started;
  if (!exact.ok()) return exact.status();
  if (!greedy.ok()) return greedy.status();
  const auto assigned = [](const matching::AssignmentResult& result) {
    return std::count_if(result.volunteer_of_request.begin(),
                         result.volunteer_of_request.end(),
                         [](int v) { return v >= 0; });
  };

  // The service's own path: AssignMatches (validate_only), which keeps
  // each request's best R candidates as edges.
  started = absl::Now();
  google::protobuf::RepeatedPtrField<std::string> none;
  auto service = m.batch().Assign(
      test::MakePrincipal("c", auth::Role::kCoordinator, municipality),
      absl::StrCat("municipalities/", municipality), none, true);
  const absl::Duration service_time = absl::Now() - started;
  if (!service.ok()) return service.status();

  std::printf("\n## Batch assignment: %d requests over %d volunteers\n\n",
              request_count, volunteers);
  std::printf("| | time | total score | assigned |\n|---|---|---|---|\n");
  std::printf("| scoring every pair (%zu eligible) | %.2f s | | |\n",
              problem.edges.size(), absl::ToDoubleSeconds(scoring));
  std::printf("| exact (min-cost flow, all pairs) | %.2f s | %.1f | %ld |\n",
              absl::ToDoubleSeconds(exact_time), exact->total_score / 1000.0,
              static_cast<long>(assigned(*exact)));
  std::printf("| greedy (best pair first) | %.3f s | %.1f | %ld |\n",
              absl::ToDoubleSeconds(greedy_time), greedy->total_score / 1000.0,
              static_cast<long>(assigned(*greedy)));
  std::printf(
      "| AssignMatches, validate_only (best R per request) | %.2f s | %.1f | "
      "%d |\n",
      absl::ToDoubleSeconds(service_time), service->total_score(),
      service->assignments_size());
  std::printf(
      "\nexact / greedy total score: %.4f\n",
      greedy->total_score > 0
          ? static_cast<double>(exact->total_score) / greedy->total_score
          : 0.0);
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (int code = bench::StartBenchProgram(
          argc, argv, "matching_bench",
          "matching_bench [--volunteers 10000,100000] [--threads 2] "
          "[--duration 10s] [--requests 1000] [--batch_volunteers 10000]");
      code != 0) {
    return code;
  }
  std::vector<int> sizes;
  for (absl::string_view part : absl::StrSplit(absl::GetFlag(FLAGS_volunteers),
                                               ',', absl::SkipEmpty())) {
    int size = 0;
    if (!absl::SimpleAtoi(part, &size) || size <= 0 || size > 1000000) {
      std::fprintf(stderr, "matching_bench: --volunteers: 1 to 1000000 each\n");
      return EXIT_FAILURE;
    }
    sizes.push_back(size);
  }
  auto redis = test::RedisServer::Start();
  if (!redis.ok()) return Fail(redis.status());
  redis::RedisOptions redis_options = (*redis)->options();
  redis::RedisPool pool(redis_options);
  NoCatalogue catalogue;
  matching::MatchingOptions options;
  options.follower.consumer = "bench";
  matching::Matching m(pool, catalogue, options);

  std::printf(
      "# matching_bench\n\n- machine: %s\n- build type: %s\n"
      "- redis-server: private, loopback, AOF with appendfsync always\n"
      "- SuggestMatches (top 10) from %d thread(s) for %s per size, "
      "requests drawn from %d reception-buddy requests\n\n",
      bench::DescribeMachine().c_str(), BROBYGGER_BUILD_TYPE,
      absl::GetFlag(FLAGS_threads),
      absl::FormatDuration(absl::GetFlag(FLAGS_duration)).c_str(),
      kQueryRequests);
  std::printf(
      "## SuggestMatches\n\n| volunteers | QPS | p50 | p99 | p99.9 | CPU per "
      "call "
      "| errors | eligible per request | seeding | first call (index build) "
      "| process RSS |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (int size : sizes) {
    if (absl::Status s = BenchSuggest(m, size); !s.ok()) return Fail(s);
  }
  if (absl::Status s = BenchBatch(m); !s.ok()) return Fail(s);
  return EXIT_SUCCESS;
}
