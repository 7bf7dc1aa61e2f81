#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace ordersvc::api {

// The gRPC endpoint on GRPC_PORT. For now it serves the standard gRPC health
// service (grpc.health.v1.Health), so load balancers and `grpc_health_probe` can
// check the process; the order API joins it in later work.
//
// gRPC headers stay in grpc_server.cpp: they are costly to compile.
// Thread-safety: start() and stop() from the main thread.
class GrpcServer {
 public:
  GrpcServer(std::string bindAddress, int port);
  ~GrpcServer();

  // Throws std::runtime_error when the port cannot be bound.
  void start();
  int port() const { return boundPort_; }

  // Stops accepting and gives running calls up to `grace` to finish.
  void stop(std::chrono::milliseconds grace);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string bindAddress_;
  int port_;
  int boundPort_ = 0;
};

}  // namespace ordersvc::api
