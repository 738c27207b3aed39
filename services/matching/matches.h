// Reading matches: staff see every match of their municipality, an NGO
// app the matches of its organisation's volunteers, a volunteer their own.
#ifndef BROBYGGER_SERVICES_MATCHING_MATCHES_H_
#define BROBYGGER_SERVICES_MATCHING_MATCHES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/matching/v1/match.pb.h"
#include "common/auth/principal.h"
#include "services/matching/match_store.h"
#include "services/matching/matching_context.h"

namespace brobygger::matching {

struct MatchPage {
  std::vector<v1::Match> matches;
  std::string next_page_token;
};

class Matches {
 public:
  Matches(MatchingContext& ctx, MatchStore& store) : ctx_(ctx), store_(store) {}

  absl::StatusOr<v1::Match> Get(const auth::Principal& principal,
                                absl::string_view name);
  // Newest first. Filter fields: state, kind, volunteer, newcomer,
  // organisation, volunteer_request.
  absl::StatusOr<MatchPage> List(const auth::Principal& principal,
                                 absl::string_view municipality,
                                 int32_t page_size,
                                 absl::string_view page_token,
                                 absl::string_view filter);

 private:
  MatchingContext& ctx_;
  MatchStore& store_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_MATCHES_H_
