// Batch assignment: for a set of open requests, the volunteers that
// maximise the total score under every volunteer's free capacity and the
// hard constraints, computed exactly (min-cost flow, assignment_solver.h)
// and deterministically (requests in the given order, volunteers by name,
// ties as the solver documents), then proposed one by one.
//
// Only each request's best R eligible volunteers (R = number of requests)
// become edges of the flow problem. That keeps the problem small without
// losing the optimum: if an optimal assignment gave request r a volunteer
// outside its best R, at most R-1 of its best R could be full (each full
// one holds another request), so moving r to a free one among them would
// not lower the total.
#ifndef BROBYGGER_SERVICES_MATCHING_BATCH_ASSIGNMENT_H_
#define BROBYGGER_SERVICES_MATCHING_BATCH_ASSIGNMENT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/matching/v1/matching_service.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/matching/candidate_index.h"
#include "services/matching/match_lifecycle.h"
#include "services/matching/match_store.h"
#include "services/matching/suggestions.h"

namespace brobygger::matching {

inline constexpr int kMaxBatchRequests = 5000;

class BatchAssignment {
 public:
  BatchAssignment(MatchingContext& ctx, MatchStore& store,
                  CandidateIndex& index, Suggestions& suggestions,
                  MatchLifecycle& lifecycle)
      : ctx_(ctx),
        store_(store),
        index_(index),
        suggestions_(suggestions),
        lifecycle_(lifecycle) {}

  absl::StatusOr<v1::AssignMatchesResponse> Assign(
      const auth::Principal& principal, absl::string_view parent,
      const google::protobuf::RepeatedPtrField<std::string>& request_names,
      bool validate_only);

 private:
  // The OPEN requests of the municipality, oldest first.
  absl::StatusOr<std::vector<StoredRequest>> OpenRequests(
      absl::string_view municipality);

  MatchingContext& ctx_;
  MatchStore& store_;
  CandidateIndex& index_;
  Suggestions& suggestions_;
  MatchLifecycle& lifecycle_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_BATCH_ASSIGNMENT_H_
