// What every libcurl user in the notification service shares: the one
// global initialisation, owning handles, and the mapping of curl's
// transport errors to absl::Status.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_CURL_SUPPORT_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_CURL_SUPPORT_H_

#include <curl/curl.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace brobygger::notifications {

// Runs curl_global_init exactly once per process, whichever thread gets
// here first (it is not safe to run concurrently with other curl calls,
// and not twice). Every function in this service that uses curl calls it
// first, so callers need not; main() may call it early to keep the cost
// off the first delivery. curl_global_cleanup is never called: the
// library lives as long as the process.
void InitCurlOnce();

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// Appends `line` to `list`; false if curl could not allocate.
bool AppendToSlist(CurlSlist& list, const char* line);

// A status for a failed transfer: DEADLINE_EXCEEDED for timeouts,
// INVALID_ARGUMENT for a URL or option curl refused, RESOURCE_EXHAUSTED
// for allocation failures, UNAVAILABLE for everything else (refused,
// DNS, TLS, connection lost): a later attempt may succeed. The message
// is "<what>: <curl's error text>".
absl::Status CurlError(CURLcode code, const char* error_buffer,
                       absl::string_view what);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_CURL_SUPPORT_H_
