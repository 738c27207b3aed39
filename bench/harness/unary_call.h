// A load slot making one unary call at a time: a fresh ClientContext per
// call (gRPC requires it) with the deadline and the bearer token, the
// request made by NextRequest, the answer judged by Check (a wrong answer
// counts as an error, not as a success).
#ifndef BROBYGGER_BENCH_HARNESS_UNARY_CALL_H_
#define BROBYGGER_BENCH_HARNESS_UNARY_CALL_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bench/harness/load.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/support/async_unary_call.h"

namespace brobygger::bench {

template <typename Stub, typename Request, typename Response>
class UnaryCall : public Call {
 public:
  UnaryCall(std::unique_ptr<Stub> stub, std::string token)
      : stub_(std::move(stub)), bearer_(absl::StrCat("Bearer ", token)) {}

  void Start(grpc::CompletionQueue* cq,
             std::chrono::system_clock::time_point deadline,
             void* tag) override {
    NextRequest(&request_);
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(deadline);
    context_->AddMetadata("authorization", bearer_);
    response_.Clear();
    reader_ = Prepare(*stub_, context_.get(), request_, cq);
    reader_->StartCall();
    reader_->Finish(&response_, &status_, tag);
  }

  absl::Status Finish() override {
    if (!status_.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status_.error_code()),
                          status_.error_message());
    }
    return Check(request_, response_);
  }

 protected:
  virtual std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> Prepare(
      Stub& stub, grpc::ClientContext* context, const Request& request,
      grpc::CompletionQueue* cq) = 0;
  virtual void NextRequest(Request* request) = 0;
  virtual absl::Status Check(const Request& request,
                             const Response& response) = 0;

 private:
  std::unique_ptr<Stub> stub_;
  std::string bearer_;
  std::unique_ptr<grpc::ClientContext> context_;
  Request request_;
  Response response_;
  grpc::Status status_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader_;
};

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_UNARY_CALL_H_
