#include "platform/integrations/grpc_remote.h"

#include <stdexcept>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

namespace ordersvc::integrations {

namespace {

std::string describe(const grpc::Status& status) {
  return status.error_message().empty() ? "status " + std::to_string(status.error_code()) : status.error_message();
}

}  // namespace

GrpcRemote::GrpcRemote(std::string service, std::string host, int port, std::chrono::milliseconds callTimeout)
    : service_(std::move(service)), callTimeout_(callTimeout) {
  if (host.empty()) throw std::invalid_argument(service_ + " service: empty gRPC host");
  if (port < 1 || port > 65535) throw std::invalid_argument(service_ + " service: gRPC port out of range");
  if (callTimeout.count() <= 0) throw std::invalid_argument(service_ + " service: gRPC call time-out must be positive");
  target_ = host + ":" + std::to_string(port);
  grpc::ChannelArguments args;
  // gRPC backs off up to 120 s between reconnection attempts by default; calls fail fast
  // (Unavailable) meanwhile, so a remote that comes back would stay unused for minutes.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  channel_ = grpc::CreateCustomChannel(target_, grpc::InsecureChannelCredentials(), args);
}

void GrpcRemote::prepare(grpc::ClientContext& context) const {
  // Not wait_for_ready: when the remote cannot be reached the call fails at once with
  // UNAVAILABLE instead of waiting out the deadline (the API answers 503 quickly).
  context.set_deadline(std::chrono::system_clock::now() + callTimeout_);
}

Error GrpcRemote::toError(const grpc::Status& status, const std::string& notFoundMessage) const {
  const std::string where = service_ + " service at " + target_;
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return Error::unavailable(where + " unavailable: " + describe(status));
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      // A deadline that passed while the channel was still connecting (an address that
      // drops packets, a hung TCP handshake) is a connection failure.
      if (channel_->GetState(false) != GRPC_CHANNEL_READY) {
        return Error::unavailable(where + " unavailable: no connection within " + std::to_string(callTimeout_.count()) +
                                  " ms");
      }
      return {ErrorCode::DeadlineExceeded,
              where + " did not answer within " + std::to_string(callTimeout_.count()) + " ms"};
    case grpc::StatusCode::NOT_FOUND:
      return Error::notFound(notFoundMessage.empty() ? describe(status) : notFoundMessage);
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return Error::invalidArgument(service_ + " service rejected the request: " + describe(status));
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return Error::conflict(describe(status));
    default:
      // UNAUTHENTICATED and PERMISSION_DENIED concern this service's own identity at the
      // remote, not the API caller's, so they are not passed on as 401/403.
      return Error::internal(where + " failed: " + describe(status) + " (gRPC code " +
                             std::to_string(status.error_code()) + ")");
  }
}

Error GrpcRemote::badAnswer(const std::string& what) const {
  return Error::internal(service_ + " service at " + target_ + " broke its contract: " + what);
}

}  // namespace ordersvc::integrations
