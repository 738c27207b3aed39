#include "services/notifications/email_address.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"

namespace brobygger::notifications {
namespace {

constexpr size_t kMaxLocalPartLength = 64;
constexpr size_t kMaxLabelLength = 63;

// Characters that delimit addresses or commands in headers and SMTP.
constexpr absl::string_view kSpecials = "<>()[],;:\\\"@";

bool IsValidLabel(absl::string_view label) {
  if (label.empty() || label.size() > kMaxLabelLength) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::Status CheckEmailAddress(absl::string_view address,
                               absl::string_view field) {
  const auto invalid = [&](absl::string_view why) {
    return InvalidFieldError(
        field, absl::StrCat("the e-mail address ", why,
                            "; give an address like name@example.dk"));
  };
  if (address.empty()) return invalid("is missing");
  if (address.size() > kMaxEmailAddressLength) {
    return invalid(
        absl::StrCat("is longer than ", kMaxEmailAddressLength, " characters"));
  }
  for (char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      return invalid(
          "contains spaces, control or non-ASCII characters (write an "
          "internationalised domain in its xn-- form)");
    }
  }
  const size_t at = address.rfind('@');
  if (at == absl::string_view::npos) return invalid("has no @");
  const absl::string_view local = address.substr(0, at);
  const absl::string_view domain = address.substr(at + 1);
  if (local.empty() || local.size() > kMaxLocalPartLength) {
    return invalid("needs 1 to 64 characters before the @");
  }
  if (local.find_first_of(kSpecials) != absl::string_view::npos) {
    return invalid("contains one of < > ( ) [ ] , ; : \\ \" or a second @");
  }
  if (local.front() == '.' || local.back() == '.' ||
      absl::StrContains(local, "..")) {
    return invalid("has a dot at the start or end of the name or two dots");
  }
  const std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) return invalid("has no domain like example.dk");
  for (absl::string_view label : labels) {
    if (!IsValidLabel(label)) {
      return invalid(absl::StrCat("has an invalid domain \"", domain, "\""));
    }
  }
  return absl::OkStatus();
}

}  // namespace brobygger::notifications
