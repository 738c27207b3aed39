#include "services/notifications/watch_reactor.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/status/grpc_status.h"

namespace brobygger::notifications {
namespace {

using Response = v1::WatchNotificationsResponse;

class WatchReactor final : public grpc::ServerWriteReactor<Response>,
                           public WatchHub::Listener {
 public:
  explicit WatchReactor(WatchHub& hub) : hub_(hub) {}

  void Begin(std::string municipality, std::string inbox, std::string cursor) {
    absl::StatusOr<std::shared_ptr<WatchHub::Watch>> watch = hub_.Add(
        std::move(municipality), std::move(inbox), std::move(cursor), this);
    absl::MutexLock lock(&mu_);
    if (!watch.ok()) {
      FinishLocked(ToGrpcStatus(watch.status()));
      return;
    }
    watch_ = *std::move(watch);
    WriteNextLocked();
  }

  void FinishNow(const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    FinishLocked(status);
  }

  // WatchHub::Listener
  void OnReady() override {
    absl::MutexLock lock(&mu_);
    WriteNextLocked();
  }
  void OnStopped() override {
    absl::MutexLock lock(&mu_);
    FinishLocked(grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        "the service is restarting; reconnect with the last cursor received"));
  }

  // grpc::ServerWriteReactor
  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (pending_finish_.has_value()) {
      Finish(*std::move(pending_finish_));
      pending_finish_.reset();
      return;
    }
    if (!ok) {
      // The stream broke (the client went away): nothing more to write.
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "stream broken"));
      return;
    }
    WriteNextLocked();
  }
  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
  }
  void OnDone() override {
    // gRPC calls nothing after OnDone; after Remove the hub does not either.
    std::shared_ptr<WatchHub::Watch> watch;
    {
      absl::MutexLock lock(&mu_);
      watch = std::move(watch_);
    }
    hub_.Remove(watch);
    delete this;
  }

 private:
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finishing_ || writing_ || watch_ == nullptr) return;
    std::optional<Response> next = watch_->Pop();
    if (!next.has_value()) return;
    current_ = *std::move(next);  // must live until OnWriteDone
    writing_ = true;
    StartWrite(&current_);
  }

  // Finishes once; while a write is in flight, in its OnWriteDone.
  void FinishLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finishing_) return;
    finishing_ = true;
    if (writing_) {
      pending_finish_ = std::move(status);
      return;
    }
    Finish(std::move(status));
  }

  WatchHub& hub_;
  absl::Mutex mu_;
  std::shared_ptr<WatchHub::Watch> watch_ ABSL_GUARDED_BY(mu_);
  Response current_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> pending_finish_ ABSL_GUARDED_BY(mu_);
};

class RejectedWatch final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RejectedWatch(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerWriteReactor<v1::WatchNotificationsResponse>* RejectWatch(
    const absl::Status& status) {
  return new RejectedWatch(ToGrpcStatus(status));
}

grpc::ServerWriteReactor<v1::WatchNotificationsResponse>* StartWatch(
    WatchHub& hub, InboxStore& store, std::string municipality,
    std::string inbox, std::string cursor) {
  auto* reactor = new WatchReactor(hub);
  absl::StatusOr<std::string> start =
      store.ResolveCursor(municipality, inbox, cursor);
  if (!start.ok()) {
    reactor->FinishNow(ToGrpcStatus(start.status()));
    return reactor;
  }
  reactor->Begin(std::move(municipality), std::move(inbox), *std::move(start));
  return reactor;
}

}  // namespace brobygger::notifications
