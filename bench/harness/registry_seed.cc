#include "bench/harness/registry_seed.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/harness/call_helpers.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace brobygger::bench {
namespace {

namespace v1 = registry::v1;

constexpr int kMaxAttempts = 3;

absl::StatusOr<v1::Actor> CreateWithRetry(v1::RegistryService::Stub& stub,
                                          const v1::CreateActorRequest& request,
                                          const SeedOptions& options) {
  grpc::Status status;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    grpc::ClientContext context;
    PrepareContext(&context, options.coordinator_token, options.call_deadline);
    v1::Actor created;
    status = stub.CreateActor(&context, request, &created);
    if (status.ok()) return created;
    if (!Retryable(status.error_code())) break;
    absl::SleepFor(absl::Milliseconds(100 * attempt));
  }
  return FromGrpc(status, absl::StrCat("CreateActor \"",
                                       request.actor().display_name(), "\""));
}

}  // namespace

absl::StatusOr<Seeded> SeedRegistry(
    const std::shared_ptr<grpc::Channel>& channel, const ActorMix& mix,
    const SeedOptions& options) {
  const absl::Time started = absl::Now();
  std::unique_ptr<v1::RegistryService::Stub> stub =
      v1::RegistryService::NewStub(channel);

  Seeded seeded;
  {
    v1::CreateMunicipalityRequest request;
    request.set_municipality_id(kMunicipalityId);
    *request.mutable_municipality() = mix.municipality;
    request.set_request_id("bench-municipality");
    grpc::ClientContext context;
    PrepareContext(&context, options.operator_token, options.call_deadline);
    v1::Municipality created;
    const grpc::Status status =
        stub->CreateMunicipality(&context, request, &created);
    if (!status.ok()) return FromGrpc(status, "CreateMunicipality");
    seeded.parent = created.name();
  }

  seeded.actor_names.assign(mix.actors.size(), "");
  for (int wave = 0; wave < mix.waves; ++wave) {
    std::vector<int> todo;
    for (size_t i = 0; i < mix.actors.size(); ++i) {
      if (mix.actors[i].wave == wave) todo.push_back(static_cast<int>(i));
    }
    std::atomic<size_t> next{0};
    absl::Mutex mu;
    absl::Status first_error;
    auto work = [&] {
      while (true) {
        const size_t k = next.fetch_add(1);
        if (k >= todo.size()) return;
        {
          absl::MutexLock lock(&mu);
          if (!first_error.ok()) return;
        }
        const int i = todo[k];
        const PlannedActor& planned = mix.actors[i];
        v1::CreateActorRequest request;
        request.set_parent(seeded.parent);
        *request.mutable_actor() = planned.actor;
        // Earlier waves are complete, so the parent's name is known.
        if (planned.parent >= 0) {
          request.mutable_actor()->set_parent(
              seeded.actor_names[planned.parent]);
        }
        request.set_request_id(absl::StrCat("bench-actor-", i));
        absl::StatusOr<v1::Actor> created =
            CreateWithRetry(*stub, request, options);
        absl::MutexLock lock(&mu);
        if (!created.ok()) {
          if (first_error.ok()) first_error = created.status();
          return;
        }
        seeded.actor_names[i] = created->name();
      }
    };
    const int threads = std::clamp<int>(options.concurrency, 1,
                                        std::max<size_t>(todo.size(), 1));
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) workers.emplace_back(work);
    for (std::thread& worker : workers) worker.join();
    if (!first_error.ok()) return first_error;
  }
  seeded.took = absl::Now() - started;
  return seeded;
}

}  // namespace brobygger::bench
