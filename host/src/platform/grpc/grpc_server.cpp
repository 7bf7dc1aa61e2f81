#include "platform/grpc/grpc_server.h"

#include <stdexcept>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

namespace ordersvc::api {

struct GrpcServer::Impl {
  std::unique_ptr<grpc::Server> server;
};

GrpcServer::GrpcServer(std::string bindAddress, int port)
    : impl_(std::make_unique<Impl>()), bindAddress_(std::move(bindAddress)), port_(port) {}

GrpcServer::~GrpcServer() {
  stop(std::chrono::milliseconds(0));
}

void GrpcServer::start() {
  grpc::EnableDefaultHealthCheckService(true);
  // Server reflection lets grpcurl and similar tools discover the services. It also
  // gives the server one synchronous service, which gRPC 1.51 requires before it
  // will poll the health service's queue.
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(bindAddress_ + ":" + std::to_string(port_), grpc::InsecureServerCredentials(), &boundPort_);
  impl_->server = builder.BuildAndStart();
  if (!impl_->server || boundPort_ == 0) {
    impl_->server.reset();
    throw std::runtime_error("cannot listen for gRPC on " + bindAddress_ + ":" + std::to_string(port_));
  }
  impl_->server->GetHealthCheckService()->SetServingStatus(true);
}

void GrpcServer::stop(std::chrono::milliseconds grace) {
  if (!impl_->server) return;
  impl_->server->GetHealthCheckService()->SetServingStatus(false);
  impl_->server->Shutdown(std::chrono::system_clock::now() + grace);
  impl_->server->Wait();
  impl_->server.reset();
}

}  // namespace ordersvc::api
