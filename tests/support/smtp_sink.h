// A minimal SMTP server on 127.0.0.1 that stands in for a mail relay: it
// speaks enough of RFC 5321 for libcurl (220 greeting, EHLO/HELO, MAIL
// FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT), offers no
// STARTTLS or AUTH, and records every accepted message. It can be told to
// refuse the next messages, at RCPT TO or after DATA.
#ifndef BROBYGGER_TESTS_SUPPORT_SMTP_SINK_H_
#define BROBYGGER_TESTS_SUPPORT_SMTP_SINK_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/support/loopback_server.h"

namespace brobygger::test {

struct SmtpMessage {
  std::string envelope_from;            // MAIL FROM, without < >
  std::vector<std::string> recipients;  // RCPT TO, without < >
  // The DATA as sent, dot-unstuffed, with CRLF line ends, without the
  // final ".".
  std::string data;
};

enum class SmtpRejectAt {
  kRecipient,  // RCPT TO answered with the code
  kData,       // the end of DATA answered with the code
};

class SmtpSink {
 public:
  SmtpSink();
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return server_->port(); }
  // "smtp://127.0.0.1:<port>".
  std::string Url() const;

  // The next `count` messages are refused with `code` (4xx: try later,
  // 5xx: permanent) at `where`, and not recorded.
  void RejectNext(int count, int code = 550,
                  SmtpRejectAt where = SmtpRejectAt::kData);

  std::vector<SmtpMessage> Messages() const;
  size_t MessageCount() const;
  // How many messages were refused because of RejectNext.
  size_t RejectedCount() const;
  // True once `n` messages were accepted, false if `timeout` passes first.
  bool WaitForMessages(size_t n, absl::Duration timeout) const;

 private:
  class Session;
  // The code to refuse with at `where` now, or 0; counts the refusal.
  int TakeRejection(SmtpRejectAt where);
  void Record(SmtpMessage message);

  mutable absl::Mutex mutex_;
  std::vector<SmtpMessage> messages_ ABSL_GUARDED_BY(mutex_);
  int reject_count_ ABSL_GUARDED_BY(mutex_) = 0;
  int reject_code_ ABSL_GUARDED_BY(mutex_) = 550;
  SmtpRejectAt reject_at_ ABSL_GUARDED_BY(mutex_) = SmtpRejectAt::kData;
  size_t rejected_ ABSL_GUARDED_BY(mutex_) = 0;
  // Last: stopped (its threads joined) before the state above goes away.
  std::unique_ptr<LoopbackServer> server_;
};

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_SMTP_SINK_H_
