#include "services/registry/disclosure.h"

namespace brobygger::registry {

bool SeesNewcomersInFull(auth::Role role) {
  return role == auth::Role::kCaseworker || role == auth::Role::kCoordinator;
}

v1::DisclosureView ViewFor(const auth::Principal& principal,
                           const v1::Actor& actor, bool granted) {
  if (actor.kind() != v1::ACTOR_KIND_NEWCOMER) {
    return v1::DISCLOSURE_VIEW_PUBLIC;
  }
  if (SeesNewcomersInFull(principal.role)) return v1::DISCLOSURE_VIEW_FULL;
  if (principal.role == auth::Role::kVolunteer && granted &&
      actor.newcomer().consent().data_sharing()) {
    return v1::DISCLOSURE_VIEW_REDACTED;
  }
  return v1::DISCLOSURE_VIEW_UNSPECIFIED;
}

v1::Actor Disclose(const v1::Actor& actor, v1::DisclosureView view) {
  if (view != v1::DISCLOSURE_VIEW_REDACTED) {
    v1::Actor out = actor;
    out.set_view(view);
    return out;
  }
  v1::Actor out;
  out.set_name(actor.name());
  out.set_kind(actor.kind());
  out.set_display_name(actor.newcomer().first_name());
  *out.mutable_areas() = actor.areas();
  *out.mutable_languages() = actor.languages();
  out.mutable_newcomer()->set_first_name(actor.newcomer().first_name());
  *out.mutable_newcomer()->mutable_needs() = actor.newcomer().needs();
  out.set_view(v1::DISCLOSURE_VIEW_REDACTED);
  return out;
}

}  // namespace brobygger::registry
