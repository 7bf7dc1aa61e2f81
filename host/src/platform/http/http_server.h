#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include "platform/http/router.h"
#include "platform/metrics/metrics_registry.h"

namespace ordersvc::api {

struct HttpServerOptions {
  std::string bindAddress = "0.0.0.0";
  std::uint16_t port = 8004;  // 0 picks a free port; port() tells which
  int maxThreads = 32;
  int maxQueued = 256;
  std::size_t maxBodyBytes = 1 << 20;
};

// The REST server: Poco's HTTPServer in front of a Router, with what every request
// gets in one place: a request id (X-Request-Id taken or generated, always echoed),
// the body-size limit (413), 404/405 envelopes, exception containment (500), one
// access-log line and the request metrics.
//
// Thread-safety: start() and stop() from the main thread; requests run on the
// server's pool threads.
class HttpServer {
 public:
  HttpServer(const Router& router, metrics::MetricsRegistry& metrics, HttpServerOptions options);
  ~HttpServer();

  // Binds and starts accepting. Throws Poco::Exception when the port is taken.
  void start();
  std::uint16_t port() const { return port_; }

  // Graceful stop: closes the listening socket and lets requests in flight finish
  // for up to `grace`. Returns 0 when all finished and the server is torn down.
  // Otherwise returns how many are still running and leaves them (and the server)
  // untouched: the caller must end the process, which cuts their connections.
  int stop(std::chrono::milliseconds grace);

  int inFlight() const { return inFlight_->load(); }

 private:
  const Router& router_;
  metrics::MetricsRegistry& metrics_;
  HttpServerOptions options_;
  std::shared_ptr<std::atomic<int>> inFlight_;
  std::shared_ptr<std::atomic<bool>> draining_;
  std::unique_ptr<Poco::ThreadPool> threads_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
};

}  // namespace ordersvc::api
