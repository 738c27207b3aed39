// A tiny HTTP/1.1 server on 127.0.0.1 that stands in for a webhook
// receiver: it records every request and answers from a script. One
// request per connection ("Connection: close"); bodies need a
// Content-Length (chunked bodies are answered 411 and not recorded).
//
//   HttpReceiver receiver;
//   receiver.RespondWith({500, 500, 200});  // then the default, 200
//   ... POST to receiver.Url("/hook") ...
//   ASSERT_TRUE(receiver.WaitForRequests(3, absl::Seconds(10)));
#ifndef BROBYGGER_TESTS_SUPPORT_HTTP_RECEIVER_H_
#define BROBYGGER_TESTS_SUPPORT_HTTP_RECEIVER_H_

#include <deque>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/support/loopback_server.h"

namespace brobygger::test {

struct ReceivedRequest {
  std::string method;
  std::string target;  // as sent: path and query
  // Lower-cased names; repeated headers joined with ", ".
  std::map<std::string, std::string> headers;
  std::string body;

  // The header's value, or "" when absent. `name` in any case.
  std::string Header(absl::string_view name) const;
};

struct ScriptedResponse {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Waited before answering (after the request is recorded), e.g. to let
  // a client time out.
  absl::Duration delay = absl::ZeroDuration();
};

class HttpReceiver {
 public:
  HttpReceiver();
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  int port() const { return server_->port(); }
  // "http://127.0.0.1:<port><path>".
  std::string Url(absl::string_view path = "/") const;

  // Queues answers for the next requests, in order; once they are used
  // up the default answer is given.
  void RespondWith(std::vector<ScriptedResponse> responses);
  void RespondWith(std::initializer_list<int> statuses);
  // The answer when the queue is empty (initially 200 with no body).
  void SetDefaultResponse(ScriptedResponse response);

  std::vector<ReceivedRequest> Requests() const;
  size_t RequestCount() const;
  // True once `n` requests have arrived, false if `timeout` passes first.
  bool WaitForRequests(size_t n, absl::Duration timeout) const;

 private:
  void Serve(LoopbackServer::Connection& connection);
  ScriptedResponse NextResponse();
  void Record(ReceivedRequest request);

  mutable absl::Mutex mutex_;
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mutex_);
  std::deque<ScriptedResponse> script_ ABSL_GUARDED_BY(mutex_);
  ScriptedResponse default_response_ ABSL_GUARDED_BY(mutex_);
  // Last: stopped (its threads joined) before the state above goes away.
  std::unique_ptr<LoopbackServer> server_;
};

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_HTTP_RECEIVER_H_
