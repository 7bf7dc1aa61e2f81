#pragma once

#include "platform/integrations/integration_probe.h"

namespace ordersvc::integrations {

// Connects to REDIS_URL (AUTH when the URL has a password, SELECT when it names a
// database) and sends PING. An empty URL is "not configured".
class RedisProbe final : public IntegrationProbe {
 public:
  explicit RedisProbe(std::string url) : url_(std::move(url)) {}
  std::string name() const override { return "redis"; }
  ProbeResult check(std::chrono::milliseconds timeout) override;

 private:
  std::string url_;
};

}  // namespace ordersvc::integrations
