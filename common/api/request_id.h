// AIP-155 request ids: the idempotency key of a create.
#ifndef BROBYGGER_COMMON_API_REQUEST_ID_H_
#define BROBYGGER_COMMON_API_REQUEST_ID_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace brobygger::api {

// Empty (no idempotency) or 1-64 characters of [A-Za-z0-9_-], such as a
// UUID; otherwise INVALID_ARGUMENT naming "request_id".
absl::Status ValidateRequestId(absl::string_view request_id);

}  // namespace brobygger::api

#endif  // BROBYGGER_COMMON_API_REQUEST_ID_H_
