// Who may see and change which activity (architecture roles):
// - published and paused activities: everyone acting in the municipality;
// - drafts and ended activities' editing: their organisation's ngo_app
//   (organiser or co-organiser) and coordinators; municipal tasks:
//   caseworkers and coordinators;
// - operators keep municipalities, not catalogues.
#ifndef BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_ACCESS_H_
#define BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_ACCESS_H_

#include "absl/status/status.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "common/auth/principal.h"

namespace brobygger::catalogue {

// Whether the principal's organisation organises or co-organises it.
bool IsOwnOrganisation(const auth::Principal& principal,
                       const v1::Activity& activity);

// Whether the principal may see the activity at all (municipality scope
// is checked separately).
bool MayRead(const auth::Principal& principal, const v1::Activity& activity);

// OK if the principal may create, change or delete the activity as it is
// (or, for a create, will be); PERMISSION_DENIED saying who can otherwise.
absl::Status RequireEditor(const auth::Principal& principal,
                           const v1::Activity& activity);

// RequireEditor for a new activity, where an organisation's app must be
// the organiser itself: listing itself as co-organiser does not let it
// publish in another organisation's name.
absl::Status RequireCreator(const auth::Principal& principal,
                            const v1::Activity& activity);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_ACTIVITY_ACCESS_H_
