// broctl actors import: loads a municipality's registry from a JSON file
// (format: import_file.h), idempotently.
//
// Order: the municipality (created when missing; an existing one is left as
// it is), the actors in file order, contact points, fora, and last the
// municipality's coordinator, so a set coordinator means a complete import.
// Every create carries the entry's deterministic request_id, so a re-run
// (after a failure half-way, say) returns what the first run created
// instead of creating it again; an actor that the registry calls a
// probable duplicate of an existing one (ALREADY_EXISTS naming it) is taken
// to be that actor.
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "common/status/macros.h"
#include "nlohmann/json.hpp"
#include "tools/broctl/cli.h"
#include "tools/broctl/import_file.h"

namespace brobygger::broctl {
namespace {

namespace registry = ::brobygger::registry::v1;

constexpr absl::string_view kOperatorTokenEnvVar = "BROBYGGER_OPERATOR_TOKEN";
// Transient failures (a service restarting) are retried: every create is
// idempotent by its request_id, so a retry never creates twice.
constexpr int kAttempts = 4;
constexpr absl::Duration kFirstBackoff = absl::Milliseconds(250);

// Prefixes the message with the entry, keeping the details (field
// violations) for PrintError.
absl::Status InEntry(const absl::Status& status, absl::string_view where) {
  absl::Status wrapped(status.code(),
                       absl::StrCat(where, ": ", status.message()));
  status.ForEachPayload(
      [&wrapped](absl::string_view url, const absl::Cord& payload) {
        wrapped.SetPayload(url, payload);
      });
  return wrapped;
}

class Importer {
 public:
  Importer(const Invocation& inv, std::string operator_token)
      : inv_(inv),
        operator_token_(std::move(operator_token)),
        stub_(registry::RegistryService::NewStub(inv.Channel())) {}

  absl::Status Run(const ImportFile& file) {
    municipality_ = MunicipalityName(file.municipality_id);
    summary_["municipality"] = municipality_;
    RETURN_IF_ERROR(EnsureMunicipality(file));
    RETURN_IF_ERROR(ImportActors(file));
    RETURN_IF_ERROR(ImportContactPoints(file));
    RETURN_IF_ERROR(ImportForums(file));
    RETURN_IF_ERROR(SetCoordinator(file));
    std::cout << summary_.dump(2) << "\n";
    std::cerr << "import: " << municipality_ << ": " << file.actors.size()
              << " actors (" << reused_ << " existing reused), "
              << file.contact_points.size() << " contact points, "
              << file.forums.size() << " forums\n";
    return absl::OkStatus();
  }

 private:
  // Calls `call` with a fresh context (and deadline) until it succeeds or
  // fails for a reason other than unavailability. `as_operator`: with the
  // operator token when there is one.
  absl::Status Call(
      const std::function<grpc::Status(grpc::ClientContext*)>& call,
      bool as_operator = false) {
    absl::Duration backoff = kFirstBackoff;
    grpc::Status status;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      const std::unique_ptr<grpc::ClientContext> context =
          as_operator && !operator_token_.empty()
              ? inv_.NewContextWithToken(operator_token_)
              : inv_.NewContext();
      status = call(context.get());
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      if (attempt < kAttempts) {
        absl::SleepFor(backoff);
        backoff *= 2;
      }
    }
    return CallStatus(status, inv_);
  }

  absl::Status EnsureMunicipality(const ImportFile& file) {
    registry::GetMunicipalityRequest get;
    get.set_name(municipality_);
    registry::Municipality existing;
    const absl::Status got = Call(
        [&](grpc::ClientContext* c) {
          return stub_->GetMunicipality(c, get, &existing);
        },
        /*as_operator=*/true);
    if (got.ok()) {
      existing_coordinator_ = existing.coordinator();
      summary_["municipalityCreated"] = false;
      return absl::OkStatus();
    }
    if (got.code() != absl::StatusCode::kNotFound) {
      return InEntry(got, "municipality");
    }
    if (!file.municipality.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          municipality_,
          " does not exist: create it first (broctl municipality create) or "
          "describe it under \"municipality\" in the file"));
    }
    registry::CreateMunicipalityRequest create;
    create.set_municipality_id(file.municipality_id);
    *create.mutable_municipality() = *file.municipality;
    create.set_request_id(ImportRequestId(file.municipality_id, "municipality",
                                          file.municipality_id));
    registry::Municipality created;
    const absl::Status status = Call(
        [&](grpc::ClientContext* c) {
          return stub_->CreateMunicipality(c, create, &created);
        },
        /*as_operator=*/true);
    if (!status.ok()) {
      if (status.code() == absl::StatusCode::kPermissionDenied &&
          operator_token_.empty()) {
        return InEntry(status,
                       absl::StrCat("municipality (creating ", municipality_,
                                    " needs an operator: pass --operator-token "
                                    "or set ",
                                    kOperatorTokenEnvVar, ")"));
      }
      return InEntry(status, "municipality");
    }
    summary_["municipalityCreated"] = true;
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> ActorName(const std::string& ref) const {
    auto it = actor_names_.find(ref);
    if (it == actor_names_.end()) {
      return absl::InternalError(
          absl::StrCat("ref \"", ref, "\" was not imported"));
    }
    return it->second;
  }

  absl::Status ImportActors(const ImportFile& file) {
    for (size_t i = 0; i < file.actors.size(); ++i) {
      const ImportedActor& entry = file.actors[i];
      const std::string where =
          absl::StrCat("actors[", i, "] (ref \"", entry.ref, "\")");
      registry::CreateActorRequest request;
      request.set_parent(municipality_);
      *request.mutable_actor() = entry.actor;
      if (!entry.parent_ref.empty()) {
        ASSIGN_OR_RETURN(*request.mutable_actor()->mutable_parent(),
                         ActorName(entry.parent_ref));
      }
      if (!entry.caseworker_ref.empty()) {
        ASSIGN_OR_RETURN(
            *request.mutable_actor()->mutable_newcomer()->mutable_caseworker(),
            ActorName(entry.caseworker_ref));
      }
      request.set_request_id(
          ImportRequestId(file.municipality_id, "actors", entry.ref));
      request.set_allow_duplicate(false);
      registry::Actor created;
      const absl::Status status = Call([&](grpc::ClientContext* c) {
        return stub_->CreateActor(c, request, &created);
      });
      std::string name = created.name();
      if (status.code() == absl::StatusCode::kAlreadyExists) {
        name = ExistingResourceOf(status);
        if (!absl::StartsWith(name, absl::StrCat(municipality_, "/actors/"))) {
          return InEntry(status, where);
        }
        ++reused_;
      } else if (!status.ok()) {
        return InEntry(status, where);
      }
      actor_names_[entry.ref] = name;
      summary_["actors"][entry.ref] = name;
    }
    return absl::OkStatus();
  }

  absl::Status ImportContactPoints(const ImportFile& file) {
    for (size_t i = 0; i < file.contact_points.size(); ++i) {
      const ImportedContactPoint& entry = file.contact_points[i];
      const std::string where =
          absl::StrCat("contactPoints[", i, "] (ref \"", entry.ref, "\")");
      registry::CreateContactPointRequest request;
      request.set_parent(municipality_);
      *request.mutable_contact_point() = entry.contact_point;
      if (!entry.contact_ref.empty()) {
        ASSIGN_OR_RETURN(*request.mutable_contact_point()->mutable_contact(),
                         ActorName(entry.contact_ref));
      }
      request.set_request_id(
          ImportRequestId(file.municipality_id, "contactPoints", entry.ref));
      registry::ContactPoint created;
      const absl::Status status = Call([&](grpc::ClientContext* c) {
        return stub_->CreateContactPoint(c, request, &created);
      });
      if (!status.ok()) return InEntry(status, where);
      summary_["contactPoints"][entry.ref] = created.name();
    }
    return absl::OkStatus();
  }

  absl::Status ImportForums(const ImportFile& file) {
    for (size_t i = 0; i < file.forums.size(); ++i) {
      const ImportedForum& entry = file.forums[i];
      const std::string where =
          absl::StrCat("forums[", i, "] (ref \"", entry.ref, "\")");
      registry::CreateForumRequest request;
      request.set_parent(municipality_);
      registry::Forum* forum = request.mutable_forum();
      *forum = entry.forum;
      if (!entry.coordinator_ref.empty()) {
        ASSIGN_OR_RETURN(*forum->mutable_coordinator(),
                         ActorName(entry.coordinator_ref));
      }
      for (int m = 0; m < forum->members_size(); ++m) {
        if (entry.member_refs[m].empty()) continue;
        ASSIGN_OR_RETURN(*forum->mutable_members(m)->mutable_actor(),
                         ActorName(entry.member_refs[m]));
      }
      request.set_request_id(
          ImportRequestId(file.municipality_id, "forums", entry.ref));
      registry::Forum created;
      const absl::Status status = Call([&](grpc::ClientContext* c) {
        return stub_->CreateForum(c, request, &created);
      });
      if (!status.ok()) return InEntry(status, where);
      summary_["forums"][entry.ref] = created.name();
    }
    return absl::OkStatus();
  }

  absl::Status SetCoordinator(const ImportFile& file) {
    if (file.coordinator_ref.empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(const std::string coordinator,
                     ActorName(file.coordinator_ref));
    summary_["coordinator"] = coordinator;
    // An update would change the etag and publish an event for nothing.
    if (coordinator == existing_coordinator_) return absl::OkStatus();
    registry::UpdateMunicipalityRequest request;
    request.mutable_municipality()->set_name(municipality_);
    request.mutable_municipality()->set_coordinator(coordinator);
    request.mutable_update_mask()->add_paths("coordinator");
    registry::Municipality updated;
    const absl::Status status = Call([&](grpc::ClientContext* c) {
      return stub_->UpdateMunicipality(c, request, &updated);
    });
    if (!status.ok()) return InEntry(status, "coordinatorRef");
    return absl::OkStatus();
  }

  const Invocation& inv_;
  const std::string operator_token_;
  std::unique_ptr<registry::RegistryService::Stub> stub_;
  std::string municipality_;
  // The coordinator of the municipality when it existed before the import.
  std::string existing_coordinator_;
  std::map<std::string, std::string> actor_names_;
  int reused_ = 0;
  nlohmann::ordered_json summary_ = nlohmann::ordered_json::object();
};

absl::Status Import(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string path, inv.args.Require("file"));
  std::string default_id;
  if (auto parent = inv.args.Get("parent"); parent.has_value()) {
    default_id = MunicipalityName(*parent).substr(
        absl::string_view("municipalities/").size());
  }
  ASSIGN_OR_RETURN(const ImportFile file, ReadImportFile(path, default_id));
  std::string operator_token = inv.args.GetOr("operator-token", "");
  if (!inv.args.Has("operator-token")) {
    const char* env = std::getenv(std::string(kOperatorTokenEnvVar).c_str());
    if (env != nullptr) operator_token = env;
  }
  Importer importer(inv, std::move(operator_token));
  return importer.Run(file);
}

}  // namespace

std::vector<Command> ImportCommands() {
  return {
      {.name = "actors import",
       .synopsis = "--file FILE.json [--parent municipalities/ID] "
                   "[--operator-token JWT]",
       .summary = "Imports a municipality's actors, contact points and "
                  "fora (format: deploy/demo/aalborg.json); safe to repeat. "
                  "--token needs caseworker or coordinator rights; a missing "
                  "municipality is created with --operator-token (or $"
                  "BROBYGGER_OPERATOR_TOKEN).",
       .options = {"file", "parent", "operator-token"},
       .run = Import},
  };
}

}  // namespace brobygger::broctl
