#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kernel/result.h"
#include "platform/plugins/plugin_binding.h"
#include "platform/plugins/plugin_instances.h"
#include "platform/plugins/plugin_registry.h"
#include "platform/plugins/secret_box.h"
#include "platform/tenancy/organization_repository.h"

namespace ordersvc::plugins {

// What an administrator sends to enable or change an instance.
struct BindingInput {
  std::string pluginId;
  std::string versionRange = "*";
  bool enabled = true;
  std::string configJson = "{}";  // a JSON object; "********" for a secret keeps the stored value
  std::string baseUrlOverride;
  std::optional<int64_t> expectedRevision;
};

// A binding as the API shows it: secrets masked, with the live status.
struct BindingView {
  PluginBinding binding;
  std::string maskedConfigJson;
  InstanceStatus status;
};

// Enables, changes and removes organizations' plugin instances: checks the plugin and
// version range, has the plugin validate the configuration (errors become a 422 with
// the plugin's list), keeps secret fields ("x-secret": true in the plugin's schema)
// only sealed at rest and masked on the way out, stores the binding and swaps the live
// instance.
//
// Thread-safety: any thread.
class PluginBindingService {
 public:
  PluginBindingService(PluginBindingRepository& bindings, services::OrganizationRepository& organizations,
                       PluginRegistry& registry, PluginInstances& instances, const SecretBox& secrets);

  Result<std::vector<BindingView>> list(const std::string& organizationId);
  Result<BindingView> get(const std::string& organizationId, const std::string& instanceId);
  Result<BindingView> put(const std::string& organizationId, const std::string& instanceId, const BindingInput& input,
                          const std::string& now);
  Status remove(const std::string& organizationId, const std::string& instanceId);

  // Activates every stored binding (start-up). Returns how many became active.
  int activateAll();

  // Brings this process's instances in line with the database: bindings another
  // process added or changed (by revision) are activated, removed ones deactivated.
  // Returns how many instances changed. Run periodically (BINDINGS_SYNC_SECONDS) when
  // several ordersvc processes share one database.
  int syncFromStorage();

 private:
  Result<std::string> fullConfig(const PluginBinding& binding);
  BindingView view(const PluginBinding& binding);

  PluginBindingRepository& bindings_;
  services::OrganizationRepository& organizations_;
  // Serialises save+activate and remove+deactivate, so the live instance always matches
  // the last stored change in this process (two PUTs, or a PUT racing a DELETE, cannot
  // leave an older configuration or a deleted binding serving).
  std::mutex changeMutex_;
  PluginRegistry& registry_;
  PluginInstances& instances_;
  const SecretBox& secrets_;
};

}  // namespace ordersvc::plugins
