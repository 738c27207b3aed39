#include "bench/registry_bench/seed.h"

#include "absl/strings/str_cat.h"
#include "bench/harness/call_helpers.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace brobygger::bench {
namespace {

namespace v1 = registry::v1;

constexpr int kVerifyPageSize = 1000;

}  // namespace

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
      PrepareContext(&context, token, absl::Seconds(10));
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
