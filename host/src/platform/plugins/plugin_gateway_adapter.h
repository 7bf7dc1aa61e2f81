#pragma once

#include "platform/plugins/plugin_gateway.h"
#include "platform/plugins/plugin_instances.h"

namespace ordersvc::plugins {

// services::PluginGateway over the live PluginInstances.
class PluginGatewayAdapter final : public services::PluginGateway {
 public:
  explicit PluginGatewayAdapter(PluginInstances& instances) : instances_(instances) {}

  std::vector<std::string> activeInstances(const std::string& organizationId, const std::string& kind) const override;
  bool supports(const std::string& organizationId, const std::string& instanceId,
                const std::string& operation) const override;
  Result<std::string> call(const std::string& organizationId, const std::string& instanceId,
                           const std::string& operation, const std::string& requestJson, const std::string& requestId,
                           const std::string& idempotencyKey) override;

 private:
  PluginInstances& instances_;
};

}  // namespace ordersvc::plugins
