#include "tools/broctl/inbox_watch.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "brobygger/notifications/v1/notification_service.grpc.pb.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/util/json_util.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::notifications::v1;

// How a stream may end when nothing is wrong with the request: the
// service went away or restarted (UNAVAILABLE, CANCELLED, or a clean end,
// since the stream only ends when the client hangs up), a proxy cut it
// (DEADLINE_EXCEEDED, INTERNAL for a reset stream), or the service asked
// to be called again (ABORTED). Anything else is about the request.
bool IsDropped(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::INTERNAL:
      return true;
    default:
      return false;
  }
}

std::string HowItEnded(const grpc::Status& status) {
  if (status.ok()) return "was closed by the service";
  const absl::Status converted = FromGrpcStatus(status);
  return absl::StrCat("dropped (", absl::StatusCodeToString(converted.code()),
                      ": ", converted.message(), ")");
}

}  // namespace

InboxWatcher::InboxWatcher(std::shared_ptr<grpc::Channel> channel,
                           InboxWatchOptions options, std::ostream& out,
                           std::ostream& err)
    : channel_(std::move(channel)),
      options_(std::move(options)),
      out_(out),
      err_(err) {}

InboxWatcher::~InboxWatcher() {
  Stop();
  if (watchdog_.joinable()) watchdog_.join();
}

grpc::Status InboxWatcher::Run() {
  {
    absl::MutexLock lock(&mutex_);
    cursor_ = options_.cursor;
  }
  watchdog_ = std::thread([this] { Watchdog(); });
  const grpc::Status status = Loop();
  Stop();
  watchdog_.join();
  return status;
}

void InboxWatcher::Stop() {
  absl::MutexLock lock(&mutex_);
  stopping_ = true;
  if (context_ != nullptr) context_->TryCancel();
}

std::string InboxWatcher::cursor() const {
  absl::MutexLock lock(&mutex_);
  return cursor_;
}

bool InboxWatcher::Stopping() const {
  absl::MutexLock lock(&mutex_);
  return stopping_;
}

void InboxWatcher::SleepOrStop(absl::Duration delay) {
  absl::MutexLock lock(&mutex_);
  mutex_.AwaitWithTimeout(absl::Condition(&stopping_), delay);
}

grpc::Status InboxWatcher::Loop() {
  absl::Duration delay = options_.first_retry_delay;
  bool connected_once = false;
  while (!Stopping()) {
    if (!WaitUntilConnected()) {
      if (Stopping()) break;
      if (!connected_once) {
        return grpc::Status(
            grpc::StatusCode::UNAVAILABLE,
            absl::StrCat("could not connect within ",
                         absl::FormatDuration(options_.connect_timeout)));
      }
      err_ << "broctl: the service cannot be reached; trying again in "
           << absl::FormatDuration(delay) << std::endl;
    } else {
      connected_once = true;
      bool done = false;
      bool heard = false;
      const grpc::Status status = WatchOnce(&done, &heard);
      if (done) break;
      if (!IsDropped(status)) return status;
      if (heard) delay = options_.first_retry_delay;
      const std::string cursor = this->cursor();
      err_ << "broctl: the watch stream " << HowItEnded(status)
           << "; reconnecting in " << absl::FormatDuration(delay)
           << (cursor.empty() ? std::string(" (no cursor yet: from then on)")
                              : absl::StrCat(" from cursor ", cursor))
           << std::endl;
    }
    SleepOrStop(delay);
    delay = std::min(delay * 2, options_.max_retry_delay);
  }
  return grpc::Status::OK;
}

bool InboxWatcher::WaitUntilConnected() {
  const absl::Time deadline = absl::Now() + options_.connect_timeout;
  while (!Stopping()) {
    // In slices, so that Stop() is not kept waiting for the whole timeout.
    const absl::Time slice =
        std::min(deadline, absl::Now() + absl::Milliseconds(250));
    if (channel_->WaitForConnected(absl::ToChronoTime(slice))) return true;
    if (absl::Now() >= deadline) return false;
  }
  return false;
}

grpc::Status InboxWatcher::WatchOnce(bool* done, bool* heard) {
  auto stub = v1::NotificationService::NewStub(channel_);
  // No deadline: the stream is meant to stay open (see the header).
  grpc::ClientContext context;
  if (!options_.token.empty()) {
    context.AddMetadata("authorization",
                        absl::StrCat("Bearer ", options_.token));
  }
  v1::WatchNotificationsRequest request;
  request.set_parent(options_.inbox);
  {
    absl::MutexLock lock(&mutex_);
    if (stopping_) {
      *done = true;
      return grpc::Status::OK;
    }
    request.set_cursor(cursor_);
    context_ = &context;
    last_heard_ = absl::Now();
    went_silent_ = false;
  }
  std::unique_ptr<grpc::ClientReader<v1::WatchNotificationsResponse>> reader =
      stub->WatchNotifications(&context, request);
  v1::WatchNotificationsResponse response;
  while (reader->Read(&response)) {
    *heard = true;
    {
      absl::MutexLock lock(&mutex_);
      last_heard_ = absl::Now();
      if (!response.cursor().empty()) cursor_ = response.cursor();
    }
    HandleResponse(response);
    if (options_.count > 0 && printed_messages_ >= options_.count) {
      *done = true;
      context.TryCancel();
      break;
    }
  }
  const grpc::Status status = reader->Finish();
  bool went_silent = false;
  {
    absl::MutexLock lock(&mutex_);
    context_ = nullptr;
    went_silent = went_silent_;
    if (stopping_) *done = true;
  }
  if (went_silent && !*done) {
    return grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        absl::StrCat("nothing arrived, not even a heartbeat, for ",
                     absl::FormatDuration(options_.silence_limit)));
  }
  return status;
}

void InboxWatcher::HandleResponse(
    const v1::WatchNotificationsResponse& response) {
  if (response.gap()) {
    err_ << "broctl: messages after the cursor were removed before they "
            "could be sent (an inbox keeps its newest 1000); `broctl "
            "notifications inbox list "
         << options_.inbox << "` shows what is there" << std::endl;
  }
  const bool heartbeat = !response.has_notification();
  if (heartbeat && !response.gap() && !options_.heartbeats) return;
  google::protobuf::util::JsonPrintOptions print_options;
  print_options.add_whitespace = false;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(response, &json,
                                                   print_options)
           .ok()) {
    err_ << "broctl: a response could not be printed as JSON" << std::endl;
    return;
  }
  out_ << json << std::endl;
  if (!heartbeat) ++printed_messages_;
}

void InboxWatcher::Watchdog() {
  const absl::Duration tick =
      std::min(absl::Seconds(1), options_.silence_limit / 4);
  absl::MutexLock lock(&mutex_);
  while (!mutex_.AwaitWithTimeout(absl::Condition(&stopping_), tick)) {
    if (context_ != nullptr && !went_silent_ &&
        absl::Now() - last_heard_ > options_.silence_limit) {
      went_silent_ = true;
      context_->TryCancel();
    }
  }
}

}  // namespace brobygger::broctl
