#include "common/auth/principal.h"

#include <algorithm>
#include <array>
#include <utility>

namespace brobygger::auth {
namespace {

constexpr absl::string_view kAllMunicipalities = "*";

constexpr std::array<std::pair<Role, absl::string_view>, 5> kRoleNames = {{
    {Role::kOperator, "operator"},
    {Role::kCaseworker, "caseworker"},
    {Role::kCoordinator, "coordinator"},
    {Role::kNgoApp, "ngo_app"},
    {Role::kVolunteer, "volunteer"},
}};

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (const auto& [role, role_name] : kRoleNames) {
    if (role_name == name) return role;
  }
  return std::nullopt;
}

bool Principal::all_municipalities() const {
  // Only operators may hold the wildcard; the verifier enforces it too, but
  // a Principal built by hand must not widen another role's scope.
  return role == Role::kOperator &&
         std::find(municipalities.begin(), municipalities.end(),
                   kAllMunicipalities) != municipalities.end();
}

bool Principal::MayActIn(absl::string_view municipality) const {
  // "*" is a claim value, not a municipality: nobody acts "in" it.
  if (municipality.empty() || municipality == kAllMunicipalities) {
    return false;
  }
  if (all_municipalities()) return true;
  return std::find(municipalities.begin(), municipalities.end(),
                   municipality) != municipalities.end();
}

}  // namespace brobygger::auth
