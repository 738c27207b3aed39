#include "common/api/filter.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace brobygger::api {
namespace {

absl::Status FilterError(absl::string_view what) {
  return InvalidFieldError(
      "filter",
      absl::StrCat(what,
                   ". Supported: restrictions `field = value` or "
                   "`field: value` joined by AND; quote values with spaces"));
}

class Lexer {
 public:
  explicit Lexer(absl::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size();
  }
  size_t position() const { return pos_; }

  // A field name: [A-Za-z_][A-Za-z0-9_.]*
  absl::StatusOr<std::string> Field() {
    SkipSpace();
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           (absl::ascii_isalnum(static_cast<unsigned char>(text_[pos_])) ||
            text_[pos_] == '_' || text_[pos_] == '.')) {
      ++pos_;
    }
    if (start == pos_) {
      return FilterError(
          absl::StrCat("expected a field name at position ", start + 1));
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  absl::StatusOr<std::string> Operator() {
    SkipSpace();
    if (pos_ < text_.size() && (text_[pos_] == '=' || text_[pos_] == ':')) {
      return std::string(1, text_[pos_++]);
    }
    return FilterError(absl::StrCat("expected '=' or ':' at position ",
                                    pos_ + 1,
                                    " (other comparisons are not "
                                    "supported)"));
  }

  absl::StatusOr<std::string> Value() {
    SkipSpace();
    if (pos_ >= text_.size())
      return FilterError("a value is missing at the end");
    if (text_[pos_] == '"') return Quoted();
    const size_t start = pos_;
    while (pos_ < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (absl::ascii_isspace(c) || c == '(' || c == ')' || c == '"') break;
      ++pos_;
    }
    if (start == pos_) {
      return FilterError(
          absl::StrCat("expected a value at position ", start + 1));
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  // The next bare word, without consuming it.
  std::string PeekWord() {
    SkipSpace();
    size_t end = pos_;
    while (end < text_.size() &&
           !absl::ascii_isspace(static_cast<unsigned char>(text_[end]))) {
      ++end;
    }
    return std::string(text_.substr(pos_, end - pos_));
  }
  void Skip(size_t n) { pos_ += n; }

 private:
  absl::StatusOr<std::string> Quoted() {
    std::string value;
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return value;
      if (c == '\\') {
        if (pos_ >= text_.size()) break;
        value.push_back(text_[pos_++]);
      } else {
        value.push_back(c);
      }
    }
    return FilterError("a quoted value is not closed");
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<Restriction>> ParseFilter(absl::string_view filter) {
  std::vector<Restriction> restrictions;
  if (filter.size() > static_cast<size_t>(kMaxFilterLength)) {
    return FilterError(
        absl::StrCat("is longer than ", kMaxFilterLength, " characters"));
  }
  Lexer lexer(filter);
  if (lexer.AtEnd()) return restrictions;
  while (true) {
    Restriction restriction;
    auto field = lexer.Field();
    if (!field.ok()) return field.status();
    const std::string upper = absl::AsciiStrToUpper(*field);
    if (upper == "OR" || upper == "NOT" || upper == "AND") {
      return FilterError(absl::StrCat("unexpected \"", *field, "\""));
    }
    restriction.field = *field;
    auto op = lexer.Operator();
    if (!op.ok()) return op.status();
    restriction.op = *op;
    auto value = lexer.Value();
    if (!value.ok()) return value.status();
    restriction.value = *value;
    restrictions.push_back(std::move(restriction));
    if (restrictions.size() > static_cast<size_t>(kMaxRestrictions)) {
      return FilterError(
          absl::StrCat("has more than ", kMaxRestrictions, " restrictions"));
    }
    if (lexer.AtEnd()) break;
    const std::string word = lexer.PeekWord();
    if (word == "AND") {
      lexer.Skip(3);
      if (lexer.AtEnd())
        return FilterError("AND must be followed by a restriction");
      continue;
    }
    if (word == "OR" || word == "NOT") {
      return FilterError(absl::StrCat(word, " is not supported"));
    }
    return FilterError(
        absl::StrCat("expected AND at position ", lexer.position() + 1));
  }
  return restrictions;
}

}  // namespace brobygger::api
