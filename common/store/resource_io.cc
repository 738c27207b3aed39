#include "common/store/resource_io.h"

#include "absl/strings/numbers.h"

namespace brobygger::store {

double IdScore(absl::string_view id) {
  int64_t value = 0;
  return absl::SimpleAtoi(id, &value) ? static_cast<double>(value) : 0;
}

absl::Status StoreOutcomeToStatus(const WriteResult& result,
                                  absl::string_view resource_type,
                                  absl::string_view name) {
  using Outcome = WriteResult::Outcome;
  switch (result.outcome) {
    case Outcome::kOk:
    case Outcome::kRequestReplayed:
      return absl::OkStatus();
    case Outcome::kNotFound:
      return ResourceNotFoundError(resource_type, name);
    case Outcome::kConflict:
      return EtagMismatchError(name);
    case Outcome::kAlreadyExists:
      return ResourceExistsError(resource_type, name,
                                 absl::StrCat(name, " already exists"));
    case Outcome::kDuplicate:
      return absl::AlreadyExistsError(
          absl::StrCat("a probable duplicate exists: id ", result.id));
    case Outcome::kMissing:
      return PreconditionError(
          "REFERENCE", result.key,
          "a referenced resource does not exist (any more); check the "
          "references and retry");
    case Outcome::kNotEmpty:
      return PreconditionError(
          "REFERENCED", name,
          absl::StrCat(name,
                       " is still referenced by other resources; "
                       "remove those references first"));
  }
  return absl::InternalError("unknown store outcome");
}

}  // namespace brobygger::store
