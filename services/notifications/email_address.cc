#include "services/notifications/email_address.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace brobygger::notifications {
namespace {

constexpr size_t kMaxLocalPartLength = 64;
constexpr size_t kMaxLabelLength = 63;

// Bytes that have no place in an address we would put into a "To:" header:
// they either need quoting (which we do not accept) or separate addresses.
bool IsForbidden(unsigned char c) {
  if (c <= 0x20 || c == 0x7f) return true;  // controls and space
  switch (c) {
    case '<':
    case '>':
    case '"':
    case '(':
    case ')':
    case '[':
    case ']':
    case '\\':
    case ',':
    case ';':
    case ':':
      return true;
    default:
      return false;
  }
}

bool IsDotted(absl::string_view part) {
  return part.empty() || part.front() == '.' || part.back() == '.' ||
         absl::StrContains(part, "..");
}

bool IsLabelByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c >= 0x80;
}

bool IsPlausibleDomain(absl::string_view domain) {
  if (IsDotted(domain)) return false;
  const std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > kMaxLabelLength) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (unsigned char c : label) {
      if (!IsLabelByte(c)) return false;
    }
  }
  return true;
}

}  // namespace

bool IsPlausibleEmailAddress(absl::string_view address) {
  if (address.empty() || address.size() > kMaxEmailAddressLength) {
    return false;
  }
  for (unsigned char c : address) {
    if (IsForbidden(c)) return false;
  }
  const size_t at = address.find('@');
  if (at == absl::string_view::npos ||
      address.find('@', at + 1) != absl::string_view::npos) {
    return false;
  }
  const absl::string_view local = address.substr(0, at);
  const absl::string_view domain = address.substr(at + 1);
  if (local.size() > kMaxLocalPartLength || IsDotted(local)) return false;
  return IsPlausibleDomain(domain);
}

}  // namespace brobygger::notifications
