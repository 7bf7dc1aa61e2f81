#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kernel/result.h"
#include "platform/metrics/metrics_registry.h"
#include "platform/plugins/plugin_binding.h"
#include "platform/plugins/plugin_registry.h"

namespace ordersvc::plugins {

// One plugin call, by instance and operation name.
struct PluginCall {
  std::string organizationId;
  std::string instanceId;
  std::string operation;  // "tax.calculate"
  std::string requestJson;
  std::string requestId;
  std::string idempotencyKey;
  std::chrono::milliseconds timeout{30000};
};

struct PluginCallResult {
  std::string json;  // the plugin's result, checked to be a JSON object
  std::string pluginId;
  std::string version;  // the version that served the whole call
};

// What an organization's instance is doing right now.
struct InstanceStatus {
  std::string organizationId;
  std::string instanceId;
  std::string pluginId;
  std::string versionRange;
  std::string state;    // active, disabled, unavailable, config_error, quarantined
  std::string version;  // serving version when active or quarantined
  std::string reason;
  std::string kind = {};  // payment, carrier, tax, einvoice (from the binding)
};

// The live instances of every organization's plugin bindings, keyed by (organization,
// instance id), and the one entry point for calling them.
//
// A (re)activation creates the new instance first and swaps it in atomically; calls in
// flight keep the old instance (they hold a reference) and finish on it; the old one is
// destroyed, on the control path, once its last call has returned. So a configuration
// change or a plugin upgrade needs no restart and no call sees a mix of versions.
// Instances that fault repeatedly (internal errors, invalid JSON) are quarantined.
//
// Thread-safety: call() and statuses() from any thread, concurrently; activate(),
// deactivate() and rebindAll() are serialised among themselves (the plugin ABI's
// [control-thread]).
class PluginInstances {
 public:
  static constexpr int kQuarantineAfterFaults = 5;

  PluginInstances(PluginRegistry& registry, metrics::MetricsRegistry& metrics);
  ~PluginInstances();

  // Creates (or replaces) the instance for `binding` with its full configuration (secrets
  // included, in memory only) on the highest loaded version its range allows. The
  // outcome is recorded in the status; the error is returned too.
  Status activate(const PluginBinding& binding, const std::string& fullConfigJson);
  void deactivate(const std::string& organizationId, const std::string& instanceId);
  // After a registry reload: moves every binding to the best version now loaded.
  // Returns how many instances changed version.
  int rebindAll();

  Result<PluginCallResult> call(const PluginCall& call);

  // Whether the active instance's plugin implements `operation`.
  bool supports(const std::string& organizationId, const std::string& instanceId, const std::string& operation) const;

  std::vector<InstanceStatus> statuses(const std::string& organizationId) const;
  InstanceStatus status(const std::string& organizationId, const std::string& instanceId) const;

  // (organization, instance id) -> revision of the binding each slot was last activated
  // from, for reconciling with the database (other processes may have changed it).
  std::map<std::pair<std::string, std::string>, int64_t> revisions() const;

  // Destroys retired instances whose last call has returned.
  void reapRetired();

 private:
  struct Active;
  struct Slot {
    PluginBinding binding;
    std::string fullConfigJson;
    std::shared_ptr<Active> active;
    InstanceStatus status;
  };
  using Key = std::pair<std::string, std::string>;

  Status activateLocked(Slot& slot);
  // Makes `active` (null: none) and `status` the slot's, retiring the instance it replaces.
  void publish(const Slot& slot, std::shared_ptr<Active> active, InstanceStatus status);
  // A configuration the plugin refused: recorded in the status unless a working instance
  // is in place (a failed new configuration does not take that down).
  void noteRefusedConfiguration(const Slot& slot, const InstanceStatus& status);
  // Counts a fault of `active` (quarantined at kQuarantineAfterFaults) and returns the call's error.
  Error recordFault(const std::shared_ptr<Active>& active, const std::string& pluginId, const PluginCall& request,
                    const std::string& faultReason);

  PluginRegistry& registry_;
  metrics::MetricsRegistry& metrics_;
  std::mutex controlMutex_;  // serialises activate/deactivate/rebind
  mutable std::mutex slotsMutex_;
  std::map<Key, Slot> slots_;                     // guarded by slotsMutex_
  std::vector<std::shared_ptr<Active>> retired_;  // guarded by controlMutex_
};

}  // namespace ordersvc::plugins
