#include "platform/integrations/grpc_probe.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

namespace ordersvc::integrations {

ProbeResult GrpcProbe::check(std::chrono::milliseconds timeout) {
  ProbeResult result;
  if (host_.empty()) return result;
  result.target = host_ + ":" + std::to_string(port_);
  const auto started = std::chrono::steady_clock::now();
  // A private channel (unique arg) so the probe never reuses a pooled subchannel
  // and reports what a new connection would see.
  grpc::ChannelArguments args;
  args.SetInt("grpc.ordersvc_probe", static_cast<int>(started.time_since_epoch().count() & 0x7fffffff));
  auto channel = grpc::CreateCustomChannel(result.target, grpc::InsecureChannelCredentials(), args);
  const bool connected = channel->WaitForConnected(std::chrono::system_clock::now() + timeout);
  result.latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  result.state = connected ? ProbeResult::State::Up : ProbeResult::State::Down;
  if (!connected) result.detail = "no connection within " + std::to_string(timeout.count()) + " ms";
  return result;
}

}  // namespace ordersvc::integrations
