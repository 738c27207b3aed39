// Error construction shared by every Brobygger service.
//
// Domain code returns absl::Status. These helpers attach the canonical
// google.rpc detail messages (BadRequest, ResourceInfo, PreconditionFailure,
// ErrorInfo) as status payloads, keyed by their type URL, so that the gRPC
// edge (ToGrpcStatus in grpc_status.h) can put them in the
// `grpc-status-details-bin` trailer without the domain knowing about gRPC.
#ifndef BROBYGGER_COMMON_STATUS_ERRORS_H_
#define BROBYGGER_COMMON_STATUS_ERRORS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace brobygger {

// One offending request field: `field` is the dot path in the request
// ("actor.languages[0].code"), `description` says what is wrong and what to
// send instead.
struct FieldViolation {
  std::string field;
  std::string description;
};

// Collects field violations while a request is validated, then turns them
// into one INVALID_ARGUMENT that names every offending field.
class FieldViolations {
 public:
  void Add(std::string field, std::string description);
  bool empty() const { return violations_.empty(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }
  // OkStatus() when empty; otherwise INVALID_ARGUMENT whose message lists
  // the fields and which carries a google.rpc.BadRequest payload.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
};

// INVALID_ARGUMENT for a single field.
absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description);

// NOT_FOUND naming the missing resource (google.rpc.ResourceInfo attached).
absl::Status ResourceNotFoundError(absl::string_view resource_type,
                                   absl::string_view resource_name);

// ALREADY_EXISTS naming the existing resource (google.rpc.ResourceInfo).
absl::Status ResourceExistsError(absl::string_view resource_type,
                                 absl::string_view resource_name,
                                 absl::string_view message);

// FAILED_PRECONDITION with one google.rpc.PreconditionFailure violation.
absl::Status PreconditionError(absl::string_view type,
                               absl::string_view subject,
                               absl::string_view message);

// ABORTED for an etag that no longer matches (AIP-154); ErrorInfo reason
// "ETAG_MISMATCH". Clients re-read the resource and retry.
absl::Status EtagMismatchError(absl::string_view resource_name);

// PERMISSION_DENIED with an ErrorInfo reason (e.g. "WRONG_MUNICIPALITY").
absl::Status PermissionDeniedError(absl::string_view reason,
                                   absl::string_view message);

// Attaches an ErrorInfo{reason, domain "brobygger"} payload to `status`.
absl::Status WithReason(absl::Status status, absl::string_view reason);

// Returns the field violations carried by `status` (empty if none). Used by
// tests and by clients linked against common.
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// `status` with "<prefix>." put before every field it names, for errors of
// a nested message validated on its own ("schedule.rrule" becomes
// "activity.schedule.rrule"). Statuses without field violations pass
// through unchanged.
absl::Status PrefixFieldViolations(const absl::Status& status,
                                   absl::string_view prefix);

}  // namespace brobygger

#endif  // BROBYGGER_COMMON_STATUS_ERRORS_H_
