// Early-return helpers for absl::Status / absl::StatusOr.
#ifndef BROBYGGER_COMMON_STATUS_MACROS_H_
#define BROBYGGER_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define BRO_CONCAT_INNER_(a, b) a##b
#define BRO_CONCAT_(a, b) BRO_CONCAT_INNER_(a, b)

// RETURN_IF_ERROR(expr): returns the status of `expr` if it is not OK.
#define RETURN_IF_ERROR(expr)                  \
  do {                                         \
    const ::absl::Status bro_status_ = (expr); \
    if (!bro_status_.ok()) return bro_status_; \
  } while (0)

// ASSIGN_OR_RETURN(lhs, expr): evaluates the StatusOr `expr`; returns its
// status on error, otherwise assigns (moves) the value to `lhs`.
#define ASSIGN_OR_RETURN(lhs, expr) \
  BRO_ASSIGN_OR_RETURN_IMPL_(BRO_CONCAT_(bro_statusor_, __LINE__), lhs, expr)
#define BRO_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return statusor.status();         \
  lhs = std::move(statusor).value()

#endif  // BROBYGGER_COMMON_STATUS_MACROS_H_
