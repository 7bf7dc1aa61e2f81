#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include "kernel/error.h"

namespace ordersvc::integrations {

// What the gRPC adapters of the ports share: one channel to one remote service, the
// per-call deadline, and the translation of a gRPC status into our Error.
//
// Internal to the adapters: only their .cpp files include this header (it pulls in
// gRPC, which is costly to compile).
// Thread-safety: every method may be called from any thread (grpc::Channel is
// thread-safe, the rest is immutable after construction).
class GrpcRemote {
 public:
  // `service` names the remote in messages ("inventory", "catalog"). Creates the channel
  // (insecure, lazily connected, fail-fast calls). Throws std::invalid_argument for an
  // empty host, a port outside 1..65535 or a non-positive timeout (a start-up error).
  GrpcRemote(std::string service, std::string host, int port, std::chrono::milliseconds callTimeout);

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const std::string& target() const { return target_; }  // "host:port"

  // Sets the deadline of one call: now + the call time-out.
  void prepare(grpc::ClientContext& context) const;

  // The Error for a failed call (status not OK), by the generic table:
  //   UNAVAILABLE, CANCELLED, RESOURCE_EXHAUSTED -> Unavailable ("<service> service at host:port unavailable: ...")
  //   DEADLINE_EXCEEDED -> DeadlineExceeded, or Unavailable when the channel never got
  //     connected within the deadline (a connection failure, not a slow answer)
  //   NOT_FOUND -> NotFound (`notFoundMessage` when given, else the remote's message)
  //   INVALID_ARGUMENT, OUT_OF_RANGE -> InvalidArgument
  //   FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED -> Conflict
  //   anything else -> Internal (a bug or a contract mismatch on one side)
  // Callers that give a code a call-specific meaning (insufficient stock) check it first.
  Error toError(const grpc::Status& status, const std::string& notFoundMessage = {}) const;

  // Internal, for an answer that breaks the contract (a missing field).
  Error badAnswer(const std::string& what) const;

 private:
  std::string service_;
  std::string target_;
  std::chrono::milliseconds callTimeout_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace ordersvc::integrations
