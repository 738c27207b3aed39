#include "common/api/resource_name.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"

namespace brobygger::api {
namespace {

// Longer names are not ours; refusing them early bounds the work per call.
constexpr size_t kMaxResourceNameLength = 1024;

bool IsVariable(absl::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// A variable segment holds an id, never whitespace or control characters
// (they would make keys and logs ambiguous).
bool IsValidSegment(absl::string_view segment) {
  if (segment.empty()) return false;
  for (unsigned char c : segment) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

bool IsValidMunicipalityId(absl::string_view id) {
  if (id.size() < 2 || id.size() > 63) return false;
  if (!absl::ascii_islower(static_cast<unsigned char>(id.front()))) {
    return false;
  }
  for (unsigned char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

bool IsValidNumericId(absl::string_view id) {
  if (id.empty() || id.size() > 19 || id.front() == '0') return false;
  for (unsigned char c : id) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  // 19 digits can exceed int64; ids are stored as int64, so such a value
  // cannot be one of ours.
  int64_t value = 0;
  return absl::SimpleAtoi(id, &value);
}

absl::StatusOr<std::vector<std::string>> ParseResourceName(
    absl::string_view name, absl::string_view pattern,
    absl::string_view field) {
  if (name.empty()) {
    return InvalidFieldError(
        field, absl::StrCat("is required: send a name of the form ", pattern));
  }
  const auto invalid = [&](absl::string_view why) {
    const absl::string_view shown =
        name.size() > 100 ? name.substr(0, 100) : name;
    return InvalidFieldError(
        field, absl::StrCat("\"", shown, name.size() > 100 ? "..." : "",
                            "\" is not a valid name (", why,
                            "): send a name of the form ", pattern));
  };
  if (name.size() > kMaxResourceNameLength) {
    return invalid(
        absl::StrCat("longer than ", kMaxResourceNameLength, " characters"));
  }
  const std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  const std::vector<absl::string_view> got = absl::StrSplit(name, '/');
  if (got.size() != want.size()) return invalid("wrong number of segments");

  std::vector<std::string> values;
  for (size_t i = 0; i < want.size(); ++i) {
    if (!IsVariable(want[i])) {
      if (got[i] != want[i]) {
        return invalid(
            absl::StrCat("expected \"", want[i], "\" as segment ", i + 1));
      }
      continue;
    }
    if (!IsValidSegment(got[i])) {
      return invalid(absl::StrCat(want[i], " is empty or has spaces"));
    }
    if (want[i] == "{municipality}" && !IsValidMunicipalityId(got[i])) {
      return invalid(
          "the municipality id must be 2-63 lowercase letters, digits or "
          "'-', starting with a letter");
    }
    values.emplace_back(got[i]);
  }
  return values;
}

}  // namespace brobygger::api
