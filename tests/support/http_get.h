// A minimal HTTP/1.0 GET over a plain socket, for scraping /metrics in
// tests without an HTTP client library.
#ifndef BROBYGGER_TESTS_SUPPORT_HTTP_GET_H_
#define BROBYGGER_TESTS_SUPPORT_HTTP_GET_H_

#include <string>

#include "absl/status/statusor.h"

namespace brobygger::test {

// GET http://127.0.0.1:<port><path>; the body on status 200, otherwise an
// error naming the status line. Gives up after 5 s or 16 MiB.
absl::StatusOr<std::string> HttpGet(int port, const std::string& path);

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_HTTP_GET_H_
