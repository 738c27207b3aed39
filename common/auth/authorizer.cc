#include "common/auth/authorizer.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"

namespace brobygger::auth {
namespace {

constexpr absl::string_view kMissingToken =
    "missing bearer token: send 'authorization: Bearer <jwt>' (mint one "
    "with `broctl token`)";

std::string JoinRoles(const std::vector<Role>& roles) {
  return absl::StrJoin(roles, ", ", [](std::string* out, Role role) {
    out->append(RoleName(role).data(), RoleName(role).size());
  });
}

}  // namespace

Authorizer::Authorizer(
    std::map<std::string, std::vector<Role>, std::less<>> policies,
    std::shared_ptr<JwtVerifier> verifier)
    : policies_(std::move(policies)), verifier_(std::move(verifier)) {}

absl::StatusOr<std::unique_ptr<Authorizer>> Authorizer::Create(
    const google::protobuf::ServiceDescriptor* service,
    std::vector<MethodPolicy> policies, std::shared_ptr<JwtVerifier> verifier) {
  if (service == nullptr) {
    return absl::InternalError("Authorizer needs the service descriptor");
  }
  if (verifier == nullptr) {
    return absl::InternalError("Authorizer needs a token verifier");
  }
  std::map<std::string, std::vector<Role>, std::less<>> by_method;
  std::vector<std::string> duplicated;
  std::vector<std::string> empty;
  for (MethodPolicy& policy : policies) {
    if (policy.roles.empty()) empty.push_back(policy.method);
    if (!by_method.emplace(policy.method, std::move(policy.roles)).second) {
      duplicated.push_back(policy.method);
    }
  }
  std::vector<std::string> missing;
  std::set<std::string, std::less<>> known;
  for (int i = 0; i < service->method_count(); ++i) {
    const std::string& name = service->method(i)->name();
    known.insert(name);
    if (!by_method.contains(name)) missing.push_back(name);
  }
  std::vector<std::string> unknown;
  for (const auto& [method, roles] : by_method) {
    if (!known.contains(method)) unknown.push_back(method);
  }
  std::vector<std::string> problems;
  if (!missing.empty()) {
    problems.push_back(absl::StrCat("methods without a policy: ",
                                    absl::StrJoin(missing, ", ")));
  }
  if (!unknown.empty()) {
    problems.push_back(
        absl::StrCat("policies for methods ", service->full_name(),
                     " does not have: ", absl::StrJoin(unknown, ", ")));
  }
  if (!duplicated.empty()) {
    problems.push_back(absl::StrCat("methods with more than one policy: ",
                                    absl::StrJoin(duplicated, ", ")));
  }
  if (!empty.empty()) {
    problems.push_back(absl::StrCat("policies that allow no role: ",
                                    absl::StrJoin(empty, ", ")));
  }
  if (!problems.empty()) {
    return absl::InternalError(absl::StrCat(
        "authorisation policies of ", service->full_name(), " are wrong (",
        absl::StrJoin(problems, "; "),
        "): declare exactly one MethodPolicy with at least one role for "
        "every method"));
  }
  return std::unique_ptr<Authorizer>(
      new Authorizer(std::move(by_method), std::move(verifier)));
}

absl::StatusOr<Principal> Authorizer::Authorize(
    const grpc::ServerContextBase& context, absl::string_view method) const {
  const auto& metadata = context.client_metadata();
  const auto [first, last] = metadata.equal_range("authorization");
  if (first == last) return absl::UnauthenticatedError(kMissingToken);
  if (std::next(first) != last) {
    return absl::UnauthenticatedError(
        "more than one authorization header: send exactly one "
        "'authorization: Bearer <jwt>'");
  }
  return AuthorizeHeader(
      absl::string_view(first->second.data(), first->second.size()), method);
}

absl::StatusOr<Principal> Authorizer::AuthorizeHeader(
    absl::string_view header, absl::string_view method) const {
  // A method without a policy is a programming error (Create checked the
  // service's methods, so the handler passed a wrong name).
  const auto policy = policies_.find(method);
  if (policy == policies_.end()) {
    return absl::InternalError(
        absl::StrCat("no authorisation policy for method \"", method,
                     "\": the handler must pass its method's short name"));
  }
  header = absl::StripAsciiWhitespace(header);
  if (header.empty()) return absl::UnauthenticatedError(kMissingToken);
  constexpr absl::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size() ||
      !absl::StartsWithIgnoreCase(header, kScheme) ||
      !absl::ascii_isspace(
          static_cast<unsigned char>(header[kScheme.size()]))) {
    return absl::UnauthenticatedError(
        "the authorization header is not a bearer token: send "
        "'authorization: Bearer <jwt>' (mint one with `broctl token`)");
  }
  const absl::string_view token =
      absl::StripLeadingAsciiWhitespace(header.substr(kScheme.size()));
  absl::StatusOr<Principal> principal = verifier_->Verify(token);
  if (!principal.ok()) return principal.status();
  const std::vector<Role>& allowed = policy->second;
  if (std::find(allowed.begin(), allowed.end(), principal->role) ==
      allowed.end()) {
    return PermissionDeniedError(
        "ROLE_NOT_ALLOWED",
        absl::StrCat("role ", RoleName(principal->role), " may not call ",
                     method, " (allowed: ", JoinRoles(allowed),
                     "); use a token with one of those roles"));
  }
  return principal;
}

absl::Status RequireMunicipality(const Principal& principal,
                                 absl::string_view municipality) {
  if (principal.MayActIn(municipality)) return absl::OkStatus();
  return PermissionDeniedError(
      "WRONG_MUNICIPALITY",
      absl::StrCat("your token does not cover municipality \"",
                   municipality.substr(0, 64), "\" (it covers: ",
                   absl::StrJoin(principal.municipalities, ", "),
                   "); use a token issued for that municipality"));
}

}  // namespace brobygger::auth
