#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "osp/osp_host.h"
#include "platform/metrics/metrics_registry.h"

namespace ordersvc::plugins {

class PluginStateStore;
class PluginHttpClient;

// What the host lends every plugin; owned by the application, outliving all plugins.
struct HostEnvironment {
  metrics::MetricsRegistry* metrics = nullptr;
  PluginStateStore* state = nullptr;  // "osp.kv/1"; nullptr: not offered
  PluginHttpClient* http = nullptr;   // "osp.http/1"; nullptr: not offered
  std::string hostVersion = "0.0.0";
};

// Host-side state of one call into a plugin, reachable from osp_call_ctx.host_data so
// host services know which call (and which instance configuration) they serve.
struct CallState {
  std::atomic<bool> cancelled{false};
  std::string organizationId;   // the tenant the host is calling for: host services scope by this,
                                // never by the plugin-supplied ctx->organization_id
  std::string baseUrlOverride;  // from the instance configuration; empty: none
};

// The osp_host table given to one loaded library at init, tagging everything the plugin
// does with its id and version (log lines, metric labels, key/value scope).
//
// Thread-safety: the table's functions may be called from any thread.
class PluginHostServices {
 public:
  PluginHostServices(std::string pluginId, std::string pluginVersion, uint32_t negotiatedMinor,
                     std::vector<std::string> manifestEgressHosts, HostEnvironment environment);
  ~PluginHostServices();
  PluginHostServices(const PluginHostServices&) = delete;
  PluginHostServices& operator=(const PluginHostServices&) = delete;

  const osp_host* table() const { return &host_; }
  const std::string& pluginId() const { return pluginId_; }
  const std::string& pluginVersion() const { return pluginVersion_; }
  const std::vector<std::string>& manifestEgressHosts() const { return manifestEgressHosts_; }
  const HostEnvironment& environment() const { return environment_; }

  // Recovers the services from a table handed back by a plugin.
  static const PluginHostServices* from(const osp_host* host);

 private:
  std::string pluginId_;
  std::string pluginVersion_;
  std::vector<std::string> manifestEgressHosts_;
  HostEnvironment environment_;
  std::string hostName_ = "ordersvc";
  osp_host host_{};
};

}  // namespace ordersvc::plugins
