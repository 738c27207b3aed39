#include "bench/registry_bench/seed.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace brobygger::bench {
namespace {

namespace v1 = registry::v1;

constexpr int kMaxAttempts = 3;
constexpr int kVerifyPageSize = 1000;

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::ABORTED ||
         code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

void Prepare(grpc::ClientContext* context, const std::string& token,
             absl::Duration deadline) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

absl::StatusOr<v1::Actor> CreateWithRetry(v1::RegistryService::Stub& stub,
                                          const v1::CreateActorRequest& request,
                                          const SeedOptions& options) {
  grpc::Status status;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    grpc::ClientContext context;
    Prepare(&context, options.coordinator_token, options.call_deadline);
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
    Prepare(&context, options.operator_token, options.call_deadline);
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

absl::Status VerifySeed(const std::shared_ptr<grpc::Channel>& channel,
                        const ActorMix& mix, const Seeded& seeded,
                        const std::string& token) {
  std::unique_ptr<v1::RegistryService::Stub> stub =
      v1::RegistryService::NewStub(channel);
  auto count = [&](const std::string& filter,
                   bool check_filter) -> absl::StatusOr<int> {
    int total = 0;
    std::string page_token;
    do {
      v1::ListActorsRequest request;
      request.set_parent(seeded.parent);
      request.set_page_size(kVerifyPageSize);
      request.set_page_token(page_token);
      request.set_filter(filter);
      grpc::ClientContext context;
      Prepare(&context, token, absl::Seconds(10));
      v1::ListActorsResponse response;
      const grpc::Status status =
          stub->ListActors(&context, request, &response);
      if (!status.ok()) {
        return FromGrpc(status,
                        absl::StrCat("ListActors filter \"", filter, "\""));
      }
      for (const v1::Actor& actor : response.actors()) {
        if (check_filter && !IsArabicSpeakingVolunteer(actor)) {
          return absl::InternalError(
              absl::StrCat("ListActors with filter \"", filter, "\" returned ",
                           actor.name(), ", which does not match it"));
        }
      }
      total += response.actors_size();
      page_token = response.next_page_token();
    } while (!page_token.empty());
    return total;
  };

  absl::StatusOr<int> all = count("", false);
  if (!all.ok()) return all.status();
  if (*all != static_cast<int>(mix.actors.size())) {
    return absl::InternalError(absl::StrCat("the registry lists ", *all,
                                            " actors; ", mix.actors.size(),
                                            " were created"));
  }
  absl::StatusOr<int> arabic = count(kArabicVolunteerFilter, true);
  if (!arabic.ok()) return arabic.status();
  if (*arabic != mix.arabic_mother_tongue_volunteers) {
    return absl::InternalError(absl::StrCat(
        "the filter \"", kArabicVolunteerFilter, "\" finds ", *arabic,
        " actors; ", mix.arabic_mother_tongue_volunteers, " were created"));
  }
  return absl::OkStatus();
}

}  // namespace brobygger::bench
