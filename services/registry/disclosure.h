// Who sees how much of a newcomer (the least view that serves the role):
// caseworkers and coordinators in full, a volunteer matched to the
// newcomer (granted by matching) redacted when the newcomer consented to
// sharing, everyone else nothing.
#ifndef BROBYGGER_SERVICES_REGISTRY_DISCLOSURE_H_
#define BROBYGGER_SERVICES_REGISTRY_DISCLOSURE_H_

#include "brobygger/registry/v1/actor.pb.h"
#include "common/auth/principal.h"

namespace brobygger::registry {

// DISCLOSURE_VIEW_UNSPECIFIED means "may not see it at all".
// `granted` says whether matching granted the caller (a volunteer) access.
v1::DisclosureView ViewFor(const auth::Principal& principal,
                           const v1::Actor& actor, bool granted);

// Applies `view` to an actor: FULL and PUBLIC leave it as is; REDACTED
// keeps name, kind, first name (as display name), languages, areas and
// needs only.
v1::Actor Disclose(const v1::Actor& actor, v1::DisclosureView view);

// Whether the role may see newcomers in full.
bool SeesNewcomersInFull(auth::Role role);

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_DISCLOSURE_H_
