// Principals of each role for domain tests, which call domain classes
// directly instead of presenting a token.
#ifndef BROBYGGER_TESTS_SUPPORT_TEST_PRINCIPALS_H_
#define BROBYGGER_TESTS_SUPPORT_TEST_PRINCIPALS_H_

#include <string>
#include <utility>

#include "common/auth/principal.h"

namespace brobygger::test {

inline auth::Principal MakePrincipal(std::string subject, auth::Role role,
                                     std::string municipality,
                                     std::string organisation = "") {
  auth::Principal principal;
  principal.subject = std::move(subject);
  principal.role = role;
  principal.municipalities = {std::move(municipality)};
  principal.organisation = std::move(organisation);
  return principal;
}

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_TEST_PRINCIPALS_H_
