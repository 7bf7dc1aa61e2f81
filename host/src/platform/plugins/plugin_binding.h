#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/result.h"

namespace ordersvc::plugins {

// An organization's use of a plugin: which plugin, which versions, its configuration.
// One organization may bind one plugin several times (two Stripe accounts); each
// binding is an instance with its own id.
struct PluginBinding {
  std::string instanceId;  // "pin_…", unique per organization
  std::string organizationId;
  std::string pluginId;
  std::string kind;          // from the plugin's manifest
  std::string versionRange;  // e.g. "^1.0"
  bool enabled = true;
  std::string publicConfigJson;  // configuration without its secret fields
  std::string sealedSecrets;     // SecretBox of a JSON object with the secret fields; "" when none
  std::string baseUrlOverride;   // tests and sandboxes; "" for none
  int64_t revision = 0;          // bumped on every change (optimistic concurrency)
  std::string createdAt;
  std::string updatedAt;
};

// Port: where bindings are kept. Every query is scoped by organization.
// Thread-safety: implementations are safe from any thread.
class PluginBindingRepository {
 public:
  virtual ~PluginBindingRepository() = default;
  virtual Result<std::vector<PluginBinding>> listForOrganization(const std::string& organizationId) = 0;
  virtual Result<std::vector<PluginBinding>> listAll() = 0;  // start-up activation only
  // Errors: NotFound.
  virtual Result<PluginBinding> find(const std::string& organizationId, const std::string& instanceId) = 0;
  // Inserts or replaces. With `expectedRevision`, the row must still have it
  // (Conflict otherwise). Returns the stored binding with its new revision.
  virtual Result<PluginBinding> save(const PluginBinding& binding, std::optional<int64_t> expectedRevision,
                                     const std::string& now) = 0;
  // Errors: NotFound.
  virtual Status remove(const std::string& organizationId, const std::string& instanceId) = 0;
};

}  // namespace ordersvc::plugins
