#include "tests/support/smtp_sink.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace brobygger::test {
namespace {

// RFC 5321 allows 512 for commands and 1000 for text lines; a little
// slack costs nothing here.
constexpr size_t kMaxLine = 4096;
constexpr size_t kMaxMessage = 10 * 1024 * 1024;

absl::string_view StripCrlf(absl::string_view line) {
  if (absl::EndsWith(line, "\n")) line.remove_suffix(1);
  if (absl::EndsWith(line, "\r")) line.remove_suffix(1);
  return line;
}

// "<a@b> SIZE=123" after "MAIL FROM:" -> "a@b"; false without <...>.
bool ParsePath(absl::string_view rest, std::string* path) {
  rest = absl::StripLeadingAsciiWhitespace(rest);
  const size_t close = rest.find('>');
  if (!absl::StartsWith(rest, "<") || close == absl::string_view::npos) {
    return false;
  }
  *path = std::string(rest.substr(1, close - 1));
  return true;
}

std::string RejectionReply(int code) {
  return code < 500 ? absl::StrCat(code, " 4.3.0 Try again later (test sink)")
                    : absl::StrCat(code, " 5.7.1 Rejected by the test sink");
}

}  // namespace

// One SMTP conversation.
class SmtpSink::Session {
 public:
  Session(SmtpSink& sink, LoopbackServer::Connection& connection)
      : sink_(sink), connection_(connection) {}

  void Run() {
    if (!Reply("220 127.0.0.1 Brobygger test SMTP sink")) return;
    std::string raw;
    while (connection_.ReadLine(&raw, kMaxLine)) {
      const absl::string_view line = StripCrlf(raw);
      const std::string verb =
          absl::AsciiStrToUpper(line.substr(0, line.find(' ')));
      bool ok = true;
      if (verb == "EHLO") {
        ok = Reply("250-127.0.0.1 hello\r\n250-8BITMIME\r\n250 SIZE 10485760");
      } else if (verb == "HELO") {
        ok = Reply("250 127.0.0.1 hello");
      } else if (verb == "MAIL") {
        ok = Mail(line);
      } else if (verb == "RCPT") {
        ok = Rcpt(line);
      } else if (verb == "DATA") {
        ok = Data();
      } else if (verb == "RSET") {
        Reset();
        ok = Reply("250 2.0.0 OK");
      } else if (verb == "NOOP") {
        ok = Reply("250 2.0.0 OK");
      } else if (verb == "QUIT") {
        Reply("221 2.0.0 Bye");
        return;
      } else {
        ok = Reply("502 5.5.2 Command not recognised");
      }
      if (!ok) return;
    }
  }

 private:
  bool Reply(absl::string_view text) {
    return connection_.Write(absl::StrCat(text, "\r\n"));
  }

  void Reset() {
    in_transaction_ = false;
    message_ = SmtpMessage();
  }

  bool Mail(absl::string_view line) {
    std::string path;
    if (!absl::StartsWithIgnoreCase(line, "MAIL FROM:") ||
        !ParsePath(line.substr(10), &path)) {
      return Reply("501 5.5.4 Syntax: MAIL FROM:<address>");
    }
    Reset();
    in_transaction_ = true;
    message_.envelope_from = std::move(path);
    return Reply("250 2.1.0 OK");
  }

  bool Rcpt(absl::string_view line) {
    if (!in_transaction_) return Reply("503 5.5.1 MAIL first");
    std::string path;
    if (!absl::StartsWithIgnoreCase(line, "RCPT TO:") ||
        !ParsePath(line.substr(8), &path)) {
      return Reply("501 5.5.4 Syntax: RCPT TO:<address>");
    }
    if (const int code = sink_.TakeRejection(SmtpRejectAt::kRecipient)) {
      return Reply(RejectionReply(code));
    }
    message_.recipients.push_back(std::move(path));
    return Reply("250 2.1.5 OK");
  }

  bool Data() {
    if (message_.recipients.empty()) return Reply("503 5.5.1 RCPT first");
    if (!Reply("354 End data with <CR><LF>.<CR><LF>")) return false;
    std::string raw;
    bool too_big = false;
    while (true) {
      if (!connection_.ReadLine(&raw, kMaxLine)) return false;
      const absl::string_view line = StripCrlf(raw);
      if (line == ".") break;
      // Dot-unstuffing: the client doubled every leading dot.
      const absl::string_view text =
          absl::StartsWith(line, ".") ? line.substr(1) : line;
      if (message_.data.size() + text.size() + 2 > kMaxMessage) too_big = true;
      if (!too_big) absl::StrAppend(&message_.data, text, "\r\n");
    }
    SmtpMessage message = std::move(message_);
    Reset();
    if (too_big) return Reply("552 5.3.4 Message too big");
    if (const int code = sink_.TakeRejection(SmtpRejectAt::kData)) {
      return Reply(RejectionReply(code));
    }
    sink_.Record(std::move(message));
    return Reply("250 2.0.0 OK queued");
  }

  SmtpSink& sink_;
  LoopbackServer::Connection& connection_;
  bool in_transaction_ = false;
  SmtpMessage message_;
};

SmtpSink::SmtpSink()
    : server_(std::make_unique<LoopbackServer>(
          [this](LoopbackServer::Connection& c) { Session(*this, c).Run(); })) {
}

SmtpSink::~SmtpSink() { server_.reset(); }

std::string SmtpSink::Url() const {
  return absl::StrCat("smtp://127.0.0.1:", port());
}

void SmtpSink::RejectNext(int count, int code, SmtpRejectAt where) {
  absl::MutexLock lock(&mutex_);
  reject_count_ = count;
  reject_code_ = code;
  reject_at_ = where;
}

int SmtpSink::TakeRejection(SmtpRejectAt where) {
  absl::MutexLock lock(&mutex_);
  if (reject_count_ == 0 || reject_at_ != where) return 0;
  --reject_count_;
  ++rejected_;
  return reject_code_;
}

void SmtpSink::Record(SmtpMessage message) {
  absl::MutexLock lock(&mutex_);
  messages_.push_back(std::move(message));
}

std::vector<SmtpMessage> SmtpSink::Messages() const {
  absl::MutexLock lock(&mutex_);
  return messages_;
}

size_t SmtpSink::MessageCount() const {
  absl::MutexLock lock(&mutex_);
  return messages_.size();
}

size_t SmtpSink::RejectedCount() const {
  absl::MutexLock lock(&mutex_);
  return rejected_;
}

bool SmtpSink::WaitForMessages(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mutex_);
  const auto arrived = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return messages_.size() >= n;
  };
  return mutex_.AwaitWithTimeout(absl::Condition(&arrived), timeout);
}

}  // namespace brobygger::test
