// Validation and normalisation of volunteer requests, with the limits the
// contract documents (volunteer_request.proto).
#ifndef BROBYGGER_SERVICES_MATCHING_REQUEST_RULES_H_
#define BROBYGGER_SERVICES_MATCHING_REQUEST_RULES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "brobygger/matching/v1/volunteer_request.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "common/status/errors.h"

namespace brobygger::matching {

inline constexpr int kMaxWishes = 20;
inline constexpr int kMaxNoteLength = 2000;
inline constexpr int kMaxAreaLength = 100;

// Lowercases language codes and tags, trims texts.
void NormalizeRequest(matching::v1::VolunteerRequest* request);

// The client-settable fields (constraints, wishes, note) of a request;
// violations name fields under `prefix` ("volunteer_request").
void CheckRequestFields(const matching::v1::VolunteerRequest& request,
                        const std::string& prefix, FieldViolations* violations);

// Fills the wishes the request leaves empty from the newcomer's profile,
// so that the request records what it was matched on.
void DefaultWishes(const registry::v1::Actor& newcomer,
                   matching::v1::VolunteerRequest* request);

// The request as events carry it: without the wishes, constraints and
// note, which describe the newcomer (needs, children, interests). Events
// name the newcomer only by resource name.
matching::v1::VolunteerRequest ForEvent(
    const matching::v1::VolunteerRequest& request);

// Whether the request still looks for or has a volunteer (not cancelled
// or completed): a newcomer has at most one such request per kind.
bool IsOpenRequest(matching::v1::VolunteerRequest::State state);

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_REQUEST_RULES_H_
