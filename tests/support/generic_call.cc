#include "tests/support/generic_call.h"

#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"

namespace brobygger::test {
namespace {

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

absl::Status ToAbsl(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

// Runs one asynchronous operation to completion; false when it failed
// (e.g. a Read after the last message).
bool Await(grpc::CompletionQueue& cq, void* tag) {
  void* got = nullptr;
  bool ok = false;
  if (!cq.Next(&got, &ok) || got != tag) return false;
  return ok;
}

// A completion queue must be shut down and emptied before it is destroyed.
void Drain(grpc::CompletionQueue& cq) {
  cq.Shutdown();
  void* tag;
  bool ok;
  while (cq.Next(&tag, &ok)) {
  }
}

}  // namespace

absl::StatusOr<std::string> GenericUnaryCall(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
    const std::string& request, absl::Duration timeout) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::CompletionQueue cq;
  auto call =
      stub.PrepareUnaryCall(&context, method, ToByteBuffer(request), &cq);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  int tag = 0;
  call->Finish(&response, &status, &tag);
  Await(cq, &tag);
  Drain(cq);
  if (!status.ok()) return ToAbsl(status);
  return FromByteBuffer(response);
}

absl::StatusOr<std::vector<std::string>> GenericStreamingCall(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
    const std::vector<std::string>& requests, absl::Duration timeout) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&context, method, &cq);
  int tag = 0;
  call->StartCall(&tag);
  // A failed start or write shows up in Finish's status below.
  bool ok = Await(cq, &tag);
  for (size_t i = 0; ok && i < requests.size(); ++i) {
    call->Write(ToByteBuffer(requests[i]), &tag);
    ok = Await(cq, &tag);
  }
  if (ok) {
    call->WritesDone(&tag);
    Await(cq, &tag);
  }
  std::vector<std::string> responses;
  while (ok) {
    grpc::ByteBuffer response;
    call->Read(&response, &tag);
    if (!Await(cq, &tag)) break;
    responses.push_back(FromByteBuffer(response));
  }
  grpc::Status status;
  call->Finish(&status, &tag);
  Await(cq, &tag);
  Drain(cq);
  if (!status.ok()) return ToAbsl(status);
  return responses;
}

}  // namespace brobygger::test
