#pragma once

#include "platform/integrations/integration_probe.h"

namespace ordersvc::integrations {

// Opens an AMQP 0-9-1 connection to RABBITMQ_URL, logs in, opens and closes a
// channel. An empty URL is "not configured".
class RabbitMqProbe final : public IntegrationProbe {
 public:
  explicit RabbitMqProbe(std::string url) : url_(std::move(url)) {}
  std::string name() const override { return "rabbitmq"; }
  ProbeResult check(std::chrono::milliseconds timeout) override;

 private:
  std::string url_;
};

}  // namespace ordersvc::integrations
