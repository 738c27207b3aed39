// The balance between municipality and civil society in a forum. Civil
// actors drop out when meetings become internal municipal talk, and
// volunteers are mostly free in the evening and at weekends; the
// representation says so where it applies.
#ifndef BROBYGGER_SERVICES_REGISTRY_FORUM_REPRESENTATION_H_
#define BROBYGGER_SERVICES_REGISTRY_FORUM_REPRESENTATION_H_

#include "brobygger/registry/v1/forum.pb.h"

namespace brobygger::registry {

// Meetings that start before this hour on a weekday are in working hours,
// when most volunteers cannot come.
inline constexpr int kVolunteerFriendlyHour = 16;

// The representation of `forum` from its members' sectors (already set)
// and terms of reference: the counts per side, the civil-society share,
// balanced when each side has at least a third of the members (and at
// least one), and warnings people can act on: too few members of one side,
// meetings in working hours, a coordination forum without a coordinator.
::brobygger::registry::v1::Representation ComputeRepresentation(
    const ::brobygger::registry::v1::Forum& forum);

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_FORUM_REPRESENTATION_H_
