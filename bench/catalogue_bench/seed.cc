#include "bench/catalogue_bench/seed.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/harness/call_helpers.h"
#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"

namespace brobygger::bench {
namespace {

namespace v1 = catalogue::v1;

constexpr int kTransientAttempts = 5;

struct Slot {
  int index = -1;
  int attempt = 0;
  std::unique_ptr<grpc::ClientContext> context;
  v1::CreateActivityRequest request;
  v1::Activity response;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::Activity>> reader;
};

// The catalogue refuses an organiser it has not learnt from the
// registry's events yet as an invalid activity.organiser (or
// co_organisers[i]).
bool UnknownOrganiser(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
         absl::StrContains(status.error_message(), "organiser");
}

}  // namespace

absl::StatusOr<ActivitySeedRun> CreateActivities(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::vector<v1::Activity>& activities, int begin, int end,
    const ActivitySeedOptions& options, std::vector<std::string>* names) {
  const absl::Time started = absl::Now();
  std::unique_ptr<v1::CatalogueService::Stub> stub =
      v1::CatalogueService::NewStub(channel);
  grpc::CompletionQueue cq;
  ActivitySeedRun run;

  auto start = [&](Slot& slot, int index, int attempt) {
    slot.index = index;
    slot.attempt = attempt;
    slot.context = std::make_unique<grpc::ClientContext>();
    PrepareContext(slot.context.get(), options.token, options.call_deadline);
    slot.request.Clear();
    slot.request.set_parent(options.parent);
    *slot.request.mutable_activity() = activities[index];
    slot.request.set_request_id(absl::StrCat("bench-activity-", index));
    slot.response.Clear();
    slot.reader =
        stub->PrepareAsyncCreateActivity(slot.context.get(), slot.request, &cq);
    slot.reader->StartCall();
    slot.reader->Finish(&slot.response, &slot.status, &slot);
  };

  const int slots_count =
      std::clamp(options.concurrency, 1, std::max(end - begin, 1));
  std::vector<Slot> slots(slots_count);
  int next = begin;
  int in_flight = 0;
  for (Slot& slot : slots) {
    if (next >= end) break;
    start(slot, next++, 1);
    ++in_flight;
  }
  absl::Status first_error;
  int done = 0;
  while (in_flight > 0) {
    void* tag = nullptr;
    bool ok = false;
    if (!cq.Next(&tag, &ok)) break;
    Slot& slot = *static_cast<Slot*>(tag);
    if (slot.status.ok()) {
      (*names)[slot.index] = slot.response.name();
      ++done;
      if (options.progress && options.progress_every > 0 &&
          done % options.progress_every == 0) {
        options.progress(done);
      }
    } else if (first_error.ok() &&
               ((Retryable(slot.status.error_code()) &&
                 slot.attempt < kTransientAttempts) ||
                (UnknownOrganiser(slot.status) &&
                 slot.attempt < options.organiser_attempts))) {
      ++run.retries;
      if (!UnknownOrganiser(slot.status)) {
        // Busy (e.g. every server thread taken): give it a moment. This
        // holds up the other completions too, which is what a busy server
        // needs.
        absl::SleepFor(absl::Milliseconds(50) * slot.attempt);
      }
      start(slot, slot.index, slot.attempt + 1);
      continue;
    } else if (first_error.ok()) {
      first_error =
          FromGrpc(slot.status,
                   absl::StrCat("CreateActivity \"",
                                activities[slot.index].display_name(), "\" (#",
                                slot.index, ", attempt ", slot.attempt, ")"));
    }
    if (first_error.ok() && next < end) {
      start(slot, next++, 1);
    } else {
      --in_flight;
    }
  }
  cq.Shutdown();
  void* tag;
  bool ok;
  while (cq.Next(&tag, &ok)) {
  }
  if (!first_error.ok()) return first_error;
  run.took = absl::Now() - started;
  return run;
}

}  // namespace brobygger::bench
