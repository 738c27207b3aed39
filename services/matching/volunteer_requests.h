// Volunteer requests: a caseworker or coordinator asks for a volunteer of
// some kind for a newcomer who consented to volunteer contact.
#ifndef BROBYGGER_SERVICES_MATCHING_VOLUNTEER_REQUESTS_H_
#define BROBYGGER_SERVICES_MATCHING_VOLUNTEER_REQUESTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/matching/v1/volunteer_request.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/matching/match_store.h"
#include "services/matching/matching_context.h"
#include "services/matching/registry_projection.h"

namespace brobygger::matching {

struct RequestPage {
  std::vector<v1::VolunteerRequest> requests;
  std::string next_page_token;
};

class VolunteerRequests {
 public:
  VolunteerRequests(MatchingContext& ctx, MatchStore& store,
                    RegistryProjection& projection)
      : ctx_(ctx), store_(store), projection_(projection) {}

  // FAILED_PRECONDITION (type CONSENT) unless the newcomer consented to
  // volunteer contact; ALREADY_EXISTS when the newcomer has an open
  // request of the kind; NOT_FOUND when matching does not know the
  // newcomer.
  absl::StatusOr<v1::VolunteerRequest> Create(const auth::Principal& principal,
                                              absl::string_view municipality,
                                              v1::VolunteerRequest request,
                                              absl::string_view request_id);
  absl::StatusOr<v1::VolunteerRequest> Get(const auth::Principal& principal,
                                           absl::string_view name);
  // Filter fields: state, kind, newcomer.
  absl::StatusOr<RequestPage> List(const auth::Principal& principal,
                                   absl::string_view municipality,
                                   int32_t page_size,
                                   absl::string_view page_token,
                                   absl::string_view filter);
  absl::StatusOr<v1::VolunteerRequest> Update(
      const auth::Principal& principal, const v1::VolunteerRequest& patch,
      const google::protobuf::FieldMask& mask);

  // The newcomer of a request, from the projection: FAILED_PRECONDITION
  // when they were erased or no longer consent.
  absl::StatusOr<registry::v1::Actor> ConsentingNewcomer(
      absl::string_view municipality, absl::string_view newcomer_name);

 private:
  MatchingContext& ctx_;
  MatchStore& store_;
  RegistryProjection& projection_;
};

// The request with its etag set from the stored version.
v1::VolunteerRequest WithEtag(const StoredRequest& stored);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_VOLUNTEER_REQUESTS_H_
