// Who is calling: the verified claims of a bearer token.
#ifndef BROBYGGER_COMMON_AUTH_PRINCIPAL_H_
#define BROBYGGER_COMMON_AUTH_PRINCIPAL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace brobygger::auth {

// The roles of the architecture decisions (claim "role").
enum class Role {
  kOperator,     // "operator": municipalities, keys, audit; no newcomer data
  kCaseworker,   // "caseworker": municipal, newcomers in full
  kCoordinator,  // "coordinator": the tovholder, newcomers in full
  kNgoApp,       // "ngo_app": an organisation's own system
  kVolunteer,    // "volunteer": own profile, own matches
};

absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);

struct Principal {
  // Claim "sub". For volunteers the actor resource name
  // ("municipalities/aalborg/actors/42"); otherwise a stable user or
  // system id.
  std::string subject;
  Role role = Role::kVolunteer;
  // Claim "municipalities": the municipality ids it may act in. Operators
  // may act in every municipality (claim value ["*"]).
  std::vector<std::string> municipalities;
  // Claim "org": for ngo_app and volunteer, the organisation actor
  // ("municipalities/aalborg/actors/7"). Empty otherwise.
  std::string organisation;
  absl::Time expires = absl::InfinitePast();

  bool all_municipalities() const;
  bool MayActIn(absl::string_view municipality) const;
};

}  // namespace brobygger::auth

#endif  // BROBYGGER_COMMON_AUTH_PRINCIPAL_H_
