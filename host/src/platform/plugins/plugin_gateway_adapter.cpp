#include "platform/plugins/plugin_gateway_adapter.h"

#include <algorithm>

namespace ordersvc::plugins {

std::vector<std::string> PluginGatewayAdapter::activeInstances(const std::string& organizationId,
                                                               const std::string& kind) const {
  std::vector<std::string> out;
  for (const auto& status : instances_.statuses(organizationId)) {
    if (status.kind == kind && status.state == "active") out.push_back(status.instanceId);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool PluginGatewayAdapter::supports(const std::string& organizationId, const std::string& instanceId,
                                    const std::string& operation) const {
  return instances_.supports(organizationId, instanceId, operation);
}

Result<std::string> PluginGatewayAdapter::call(const std::string& organizationId, const std::string& instanceId,
                                               const std::string& operation, const std::string& requestJson,
                                               const std::string& requestId, const std::string& idempotencyKey) {
  PluginCall call;
  call.organizationId = organizationId;
  call.instanceId = instanceId;
  call.operation = operation;
  call.requestJson = requestJson;
  call.requestId = requestId;
  call.idempotencyKey = idempotencyKey;
  auto result = instances_.call(call);
  if (!result) return result.error();
  return std::move(result->json);
}

}  // namespace ordersvc::plugins
