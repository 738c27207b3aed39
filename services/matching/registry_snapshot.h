// The registry's current actors, read through its ListActors API, for
// when matching first serves a municipality: the registry's event stream
// keeps only the newest events (retention), so a matching deployed after
// older events were trimmed would not know the volunteers and newcomers
// they described. The snapshot fills the projection; the stream then
// brings every later change (applying both is idempotent: newer update
// times win, deleted actors stay deleted).
//
// The registry is called with a service token the operator provides (a
// coordinator token for the municipalities matching serves, read from a
// file at each snapshot so that it can be rotated); its reads of newcomers
// are in the registry's audit log under that token's subject.
#ifndef BROBYGGER_SERVICES_MATCHING_REGISTRY_SNAPSHOT_H_
#define BROBYGGER_SERVICES_MATCHING_REGISTRY_SNAPSHOT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"

namespace brobygger::matching {

// The actors of a municipality of one kind.
class ActorSource {
 public:
  virtual ~ActorSource() = default;
  virtual absl::StatusOr<std::vector<registry::v1::Actor>> List(
      absl::string_view municipality, registry::v1::ActorKind kind) = 0;
};

struct RegistryClientOptions {
  std::string address = "127.0.0.1:50051";
  // File holding the service token (a JWT, surrounding whitespace ignored).
  std::string token_file;
  // Deadline of each page.
  absl::Duration deadline = absl::Seconds(10);
  // Refuses municipalities larger than this (a runaway listing).
  int max_actors = 1'000'000;
};

class RegistryClient : public ActorSource {
 public:
  explicit RegistryClient(RegistryClientOptions options);

  absl::StatusOr<std::vector<registry::v1::Actor>> List(
      absl::string_view municipality, registry::v1::ActorKind kind) override;

 private:
  absl::StatusOr<std::string> Token() const;

  RegistryClientOptions options_;
  std::unique_ptr<registry::v1::RegistryService::Stub> stub_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_REGISTRY_SNAPSHOT_H_
