// The file format of `broctl actors import`: a municipality with its
// actors, contact points and fora in one JSON document, e.g.
// deploy/demo/aalborg.json:
//
//   {
//     "municipality": {"id": "aalborg", "displayName": "Aalborg Kommune",
//                      "areas": ["Kærby", ...]},
//     "actors": [
//       {"ref": "redcross", "kind": "ACTOR_KIND_NGO", "displayName": ...},
//       {"ref": "redcross-aalborg", "parentRef": "redcross", ...},
//       {"ref": "amina", "kind": "ACTOR_KIND_NEWCOMER",
//        "caseworkerRef": "caseworker-lene", "newcomer": {...}}
//     ],
//     "contactPoints": [{"ref": "housing", "contactRef": "...", ...}],
//     "forums": [{"ref": "steering", "coordinatorRef": "...",
//                 "members": [{"actorRef": "...", "role": "chair"}], ...}],
//     "coordinatorRef": "..."
//   }
//
// Every entry is the resource's proto3 JSON (registry.v1 Municipality,
// Actor, ContactPoint, Forum) plus "ref" fields. Server-assigned names are
// unknown when the file is written, so entries name each other by "ref";
// the importer replaces refs with the created resources' names. An actor's
// parentRef and caseworkerRef name an actor listed before it (a parent
// must exist when its child is created).
//
// Each entry's ref also makes its request_id (ImportRequestId), so that
// importing the same file twice creates nothing twice.
#ifndef BROBYGGER_TOOLS_BROCTL_IMPORT_FILE_H_
#define BROBYGGER_TOOLS_BROCTL_IMPORT_FILE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/contact_point.pb.h"
#include "brobygger/registry/v1/forum.pb.h"
#include "brobygger/registry/v1/municipality.pb.h"

namespace brobygger::broctl {

// Limits: an import is a municipality's registry, not a bulk data channel.
inline constexpr size_t kMaxImportFileBytes = 16 * 1024 * 1024;
inline constexpr size_t kMaxImportedActors = 10'000;
inline constexpr size_t kMaxImportedContactPoints = 1'000;
inline constexpr size_t kMaxImportedForums = 1'000;

struct ImportedActor {
  std::string ref;
  std::string parent_ref;      // empty: none, or "parent" given literally
  std::string caseworker_ref;  // newcomers only
  registry::v1::Actor actor;
};

struct ImportedContactPoint {
  std::string ref;
  std::string contact_ref;
  registry::v1::ContactPoint contact_point;
};

struct ImportedForum {
  std::string ref;
  std::string coordinator_ref;
  // Parallel to forum.members(): the ref of each member ("" when the
  // member's actor is given by name).
  std::vector<std::string> member_refs;
  registry::v1::Forum forum;
};

struct ImportFile {
  std::string municipality_id;
  // Present when the file describes the municipality (created if missing).
  std::optional<registry::v1::Municipality> municipality;
  std::vector<ImportedActor> actors;
  std::vector<ImportedContactPoint> contact_points;
  std::vector<ImportedForum> forums;
  std::string coordinator_ref;
};

// Parses and checks a whole file before anything is sent: unknown fields,
// duplicate or dangling refs and oversized collections are
// INVALID_ARGUMENT naming the entry ("actors[3] (ref \"x\"): ...").
// `municipality_id` comes from the file's municipality.id, else from
// `default_municipality_id`; both given and different is an error.
absl::StatusOr<ImportFile> ParseImportFile(
    absl::string_view json, absl::string_view default_municipality_id = "");

absl::StatusOr<ImportFile> ReadImportFile(
    const std::string& path, absl::string_view default_municipality_id = "");

// The request_id of an imported entry: a name-based (version 5) UUID of
// "<municipality>/<collection>/<ref>", the same on every run.
std::string ImportRequestId(absl::string_view municipality_id,
                            absl::string_view collection,
                            absl::string_view ref);

}  // namespace brobygger::broctl

#endif  // BROBYGGER_TOOLS_BROCTL_IMPORT_FILE_H_
