#include "services/matching/registry_snapshot.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace brobygger::matching {
namespace {

constexpr int kPageSize = 1000;

}  // namespace

RegistryClient::RegistryClient(RegistryClientOptions options)
    : options_(std::move(options)),
      stub_(registry::v1::RegistryService::NewStub(grpc::CreateChannel(
          options_.address, grpc::InsecureChannelCredentials()))) {}

absl::StatusOr<std::string> RegistryClient::Token() const {
  std::ifstream in(options_.token_file);
  if (!in) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot read the registry token file ", options_.token_file));
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string token(absl::StripAsciiWhitespace(text.str()));
  if (token.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the registry token file ", options_.token_file, " is empty"));
  }
  return token;
}

absl::StatusOr<std::vector<registry::v1::Actor>> RegistryClient::List(
    absl::string_view municipality, registry::v1::ActorKind kind) {
  absl::StatusOr<std::string> token = Token();
  if (!token.ok()) return token.status();
  registry::v1::ListActorsRequest request;
  request.set_parent(absl::StrCat("municipalities/", municipality));
  request.set_page_size(kPageSize);
  // "ACTOR_KIND_VOLUNTEER" -> "VOLUNTEER".
  request.set_filter(absl::StrCat(
      "kind = ",
      absl::StripPrefix(registry::v1::ActorKind_Name(kind), "ACTOR_KIND_")));
  std::vector<registry::v1::Actor> out;
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + options_.deadline));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", *token));
    registry::v1::ListActorsResponse response;
    const grpc::Status status = stub_->ListActors(&context, request, &response);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("registry: ", status.error_message()));
    }
    for (registry::v1::Actor& actor : *response.mutable_actors()) {
      out.push_back(std::move(actor));
    }
    if (static_cast<int>(out.size()) > options_.max_actors) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the registry lists more than ", options_.max_actors,
                       " actors of ", municipality));
    }
    if (response.next_page_token().empty()) return out;
    request.set_page_token(response.next_page_token());
  }
}

}  // namespace brobygger::matching
