#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "osp/osp_host.h"

namespace ordersvc::plugins {

struct HttpClientOptions {
  std::size_t maxResponseBytes = 8 * 1024 * 1024;
  std::chrono::milliseconds defaultTimeout{30000};  // when neither request nor deadline bounds it
};

// "osp.http/1": the only way a plugin reaches the network. In one place: TLS with
// certificate and host-name verification, time-outs bounded by the call's deadline, a
// response size cap, an egress allow-list (the manifest's egress_hosts), a per-instance
// base-URL override (tests point a plugin at a mock
// server), secret headers masked in logs, and request metrics labelled by plugin.
//
// Thread-safety: any thread; every request opens its own session.
class PluginHttpClient {
 public:
  explicit PluginHttpClient(HttpClientOptions options = {});

  static const osp_http_v1* table();
  const HttpClientOptions& options() const { return options_; }

 private:
  HttpClientOptions options_;
};

}  // namespace ordersvc::plugins
