#pragma once

#include <string>
#include <vector>

#include "kernel/result.h"

namespace ordersvc::services {

// How use cases reach an organization's plugins (tax, carrier, payment) without
// knowing about loading, versions or hot reload.
// Thread-safety: implementations are safe from any thread.
class PluginGateway {
 public:
  virtual ~PluginGateway() = default;

  // The organization's active instances of `kind` ("tax", "carrier", "payment"), in
  // instance-id order.
  virtual std::vector<std::string> activeInstances(const std::string& organizationId,
                                                   const std::string& kind) const = 0;

  // Whether the instance's plugin offers `operation` ("payment.create_session").
  virtual bool supports(const std::string& organizationId, const std::string& instanceId,
                        const std::string& operation) const = 0;

  // Calls `operation` on the instance with a JSON request; returns the JSON result.
  // Errors are the plugin call's (InvalidArgument, Unavailable, DeadlineExceeded, ...).
  virtual Result<std::string> call(const std::string& organizationId, const std::string& instanceId,
                                   const std::string& operation, const std::string& requestJson,
                                   const std::string& requestId, const std::string& idempotencyKey) = 0;
};

}  // namespace ordersvc::services
