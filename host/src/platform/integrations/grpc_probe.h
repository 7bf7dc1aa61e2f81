#pragma once

#include "platform/integrations/integration_probe.h"

namespace ordersvc::integrations {

// Opens a gRPC channel to host:port and waits until it is connected (TCP and the
// HTTP/2 handshake), which is what any RPC to the Inventory or Catalog service needs
// first. An empty host is "not configured".
//
// gRPC headers stay inside grpc_probe.cpp (they are costly to compile).
class GrpcProbe final : public IntegrationProbe {
 public:
  GrpcProbe(std::string name, std::string host, int port)
      : name_(std::move(name)), host_(std::move(host)), port_(port) {}
  std::string name() const override { return name_; }
  ProbeResult check(std::chrono::milliseconds timeout) override;

 private:
  std::string name_;
  std::string host_;
  int port_;
};

}  // namespace ordersvc::integrations
