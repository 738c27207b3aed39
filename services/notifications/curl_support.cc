#include "services/notifications/curl_support.h"

#include <cstdlib>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace brobygger::notifications {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
      // Without it no e-mail or webhook can ever be sent.
      log::Error("curl_global_init failed",
                 {{"error", curl_easy_strerror(code)}});
      std::abort();
    }
  });
}

bool AppendToSlist(CurlSlist& list, const char* line) {
  curl_slist* appended = curl_slist_append(list.get(), line);
  if (appended == nullptr) return false;
  (void)list.release();
  list.reset(appended);
  return true;
}

absl::Status CurlError(CURLcode code, const char* error_buffer,
                       absl::string_view what) {
  const std::string message =
      absl::StrCat(what, ": ",
                   error_buffer != nullptr && error_buffer[0] != '\0'
                       ? error_buffer
                       : curl_easy_strerror(code));
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(message);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return absl::InvalidArgumentError(message);
    case CURLE_OUT_OF_MEMORY:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::UnavailableError(message);
  }
}

}  // namespace brobygger::notifications
