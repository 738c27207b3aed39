// Name-based UUIDs and the shared vocabulary of the HSDS conversion; the
// export is in hsds_export.cc, the import in hsds_import*.cc.
#include "services/catalogue/hsds.h"

#include <openssl/evp.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/catalogue/hsds_internal.h"

namespace brobygger::catalogue {
namespace {

using Uuid = std::array<uint8_t, 16>;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The 16 bytes of a UUID's text form (dashes ignored); nil if malformed.
Uuid ParseUuid(absl::string_view text) {
  Uuid uuid{};
  int nibbles = 0;
  for (char c : text) {
    if (c == '-') continue;
    const int value = HexValue(c);
    if (value < 0 || nibbles >= 32) return Uuid{};
    uuid[nibbles / 2] |=
        static_cast<uint8_t>(nibbles % 2 == 0 ? value << 4 : value);
    ++nibbles;
  }
  return nibbles == 32 ? uuid : Uuid{};
}

std::string FormatUuid(const Uuid& uuid) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[uuid[i] >> 4]);
    text.push_back(kHex[uuid[i] & 0x0f]);
  }
  return text;
}

}  // namespace

std::string NameBasedUuid(absl::string_view namespace_uuid,
                          absl::string_view name) {
  // RFC 4122 section 4.3: SHA-1 over the namespace's bytes (network order)
  // and the name, truncated to 16 bytes, with version 5 and the RFC 4122
  // variant stamped in.
  const Uuid space = ParseUuid(namespace_uuid);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha1(), nullptr);
  EVP_DigestUpdate(context, space.data(), space.size());
  EVP_DigestUpdate(context, name.data(), name.size());
  EVP_DigestFinal_ex(context, digest, &digest_length);
  EVP_MD_CTX_free(context);
  Uuid uuid;
  for (int i = 0; i < 16; ++i) uuid[i] = digest[i];
  uuid[6] = static_cast<uint8_t>((uuid[6] & 0x0f) | 0x50);
  uuid[8] = static_cast<uint8_t>((uuid[8] & 0x3f) | 0x80);
  return FormatUuid(uuid);
}

std::string NameBasedUuid(absl::string_view name) {
  return NameBasedUuid(kBrobyggerUuidNamespace, name);
}

namespace hsds_internal {

std::string EnumCode(const google::protobuf::EnumDescriptor& type, int value,
                     absl::string_view prefix) {
  if (value == 0) return "";
  const google::protobuf::EnumValueDescriptor* descriptor =
      type.FindValueByNumber(value);
  if (descriptor == nullptr) return "";
  absl::string_view name = descriptor->name();
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

std::optional<int> EnumFromCode(const google::protobuf::EnumDescriptor& type,
                                absl::string_view code,
                                absl::string_view prefix) {
  for (int i = 0; i < type.value_count(); ++i) {
    const int number = type.value(i)->number();
    if (number != 0 && EnumCode(type, number, prefix) == code) return number;
  }
  return std::nullopt;
}

std::string EnumCodeList(const google::protobuf::EnumDescriptor& type,
                         absl::string_view prefix) {
  std::vector<std::string> codes;
  for (int i = 0; i < type.value_count(); ++i) {
    const int number = type.value(i)->number();
    if (number != 0) codes.push_back(EnumCode(type, number, prefix));
  }
  return absl::StrJoin(codes, ", ");
}

absl::string_view StatusOfState(v1::ActivityState state) {
  switch (state) {
    case v1::ACTIVITY_STATE_PUBLISHED:
      return "active";
    case v1::ACTIVITY_STATE_PAUSED:
      return "temporarily closed";
    case v1::ACTIVITY_STATE_ENDED:
      return "defunct";
    default:
      return "inactive";
  }
}

std::optional<v1::ActivityState> StateOfStatus(absl::string_view status) {
  if (status == "active") return v1::ACTIVITY_STATE_PUBLISHED;
  if (status == "temporarily closed") return v1::ACTIVITY_STATE_PAUSED;
  if (status == "defunct") return v1::ACTIVITY_STATE_ENDED;
  if (status == "inactive") return v1::ACTIVITY_STATE_DRAFT;
  return std::nullopt;
}

JsonNode JsonNode::Child(absl::string_view key) const {
  std::string path = absl::StrCat(path_, ".", key);
  if (!present() || !value_->is_object()) return JsonNode(nullptr, path);
  const auto it = value_->find(std::string(key));
  if (it == value_->end()) return JsonNode(nullptr, path);
  return JsonNode(&*it, path);
}

absl::Status JsonNode::Error(absl::string_view description) const {
  return InvalidFieldError(path_, description);
}

absl::StatusOr<std::string> JsonNode::String() const {
  if (!present()) return std::string();
  if (!value_->is_string()) return Error("must be a string");
  return value_->get<std::string>();
}

absl::StatusOr<std::string> JsonNode::RequiredString(
    absl::string_view what) const {
  if (!present()) return Error(absl::StrCat("required: ", what));
  if (!value_->is_string()) return Error("must be a string");
  std::string text = value_->get<std::string>();
  if (absl::StripAsciiWhitespace(text).empty()) {
    return Error(absl::StrCat("required: ", what));
  }
  return text;
}

absl::StatusOr<std::optional<double>> JsonNode::Number() const {
  if (!present()) return std::optional<double>();
  if (!value_->is_number()) return Error("must be a number");
  return std::optional<double>(value_->get<double>());
}

absl::StatusOr<std::optional<long long>> JsonNode::Integer() const {
  if (!present()) return std::optional<long long>();
  // Non-negative integers parse as unsigned, which is_number_integer()
  // also reports, so the unsigned case comes first.
  if (value_->is_number_unsigned()) {
    const auto value = value_->get<unsigned long long>();
    if (value > static_cast<unsigned long long>(
                    std::numeric_limits<long long>::max())) {
      return Error("number too large");
    }
    return std::optional<long long>(static_cast<long long>(value));
  }
  if (value_->is_number_integer()) {
    return std::optional<long long>(value_->get<long long>());
  }
  if (value_->is_number_float()) {
    const double value = value_->get<double>();
    if (std::isfinite(value) && std::trunc(value) == value &&
        std::fabs(value) < 1e15) {
      return std::optional<long long>(static_cast<long long>(value));
    }
    return Error("must be a whole number");
  }
  if (value_->is_string()) {
    long long value = 0;
    if (absl::SimpleAtoi(value_->get<std::string>(), &value)) {
      return std::optional<long long>(value);
    }
  }
  return Error("must be a whole number");
}

absl::StatusOr<std::vector<JsonNode>> JsonNode::Objects(int max_items) const {
  std::vector<JsonNode> items;
  if (!present()) return items;
  if (!value_->is_array()) return Error("must be an array");
  if (value_->size() > static_cast<size_t>(max_items)) {
    return Error(absl::StrCat("at most ", max_items, " entries"));
  }
  items.reserve(value_->size());
  for (size_t i = 0; i < value_->size(); ++i) {
    JsonNode item(&(*value_)[i], absl::StrCat(path_, "[", i, "]"));
    if (!item.value().is_object()) return item.Error("must be an object");
    items.push_back(std::move(item));
  }
  return items;
}

absl::Status JsonNode::ExpectObject() const {
  if (!present() || !value_->is_object()) return Error("must be an object");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<BrobyggerTerm>> BrobyggerTerms(
    const JsonNode& attributes) {
  ASSIGN_OR_RETURN(std::vector<JsonNode> items,
                   attributes.Objects(kMaxHsdsNestedItems));
  std::vector<BrobyggerTerm> terms;
  for (const JsonNode& item : items) {
    const JsonNode term = item.Child("taxonomy_term");
    // HSDS 3.0 names the taxonomy in taxonomy_term.taxonomy (a string) and
    // describes it in taxonomy_detail; drafts had an object in `taxonomy`.
    JsonNode taxonomy_node = term.Child("taxonomy");
    if (taxonomy_node.present() && taxonomy_node.value().is_object()) {
      taxonomy_node = taxonomy_node.Child("name");
    }
    std::string taxonomy;
    if (taxonomy_node.present() && taxonomy_node.value().is_string()) {
      taxonomy = taxonomy_node.value().get<std::string>();
    } else {
      const JsonNode detail_name = term.Child("taxonomy_detail").Child("name");
      if (detail_name.present() && detail_name.value().is_string()) {
        taxonomy = detail_name.value().get<std::string>();
      }
    }
    if (!absl::StartsWith(taxonomy, kTaxonomyPrefix)) continue;
    BrobyggerTerm found{taxonomy, "", "", item};
    ASSIGN_OR_RETURN(found.code, term.Child("code").RequiredString(
                                     "the term's code in its taxonomy"));
    ASSIGN_OR_RETURN(found.value, item.Child("value").String());
    terms.push_back(std::move(found));
  }
  return terms;
}

}  // namespace hsds_internal
}  // namespace brobygger::catalogue
