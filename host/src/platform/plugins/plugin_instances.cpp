#include "platform/plugins/plugin_instances.h"

#include "platform/logging/log.h"
#include "platform/plugins/collecting_sink.h"
#include "platform/plugins/json_check.h"
#include "platform/plugins/plugin_operations.h"

namespace ordersvc::plugins {

namespace {

osp_str str(const std::string& s) {
  return osp_str{s.data(), s.size()};
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// How a technical status reaches the caller of the host's API.
ErrorCode errorCodeFor(osp_status status) {
  switch (status) {
    case OSP_E_INVALID_ARGUMENT:
      return ErrorCode::Unprocessable;
    case OSP_E_UNSUPPORTED:
      return ErrorCode::Unprocessable;
    case OSP_E_CONFIG:
      return ErrorCode::Unprocessable;
    case OSP_E_TRANSIENT:
      return ErrorCode::Unavailable;
    case OSP_E_PERMANENT:
      return ErrorCode::Unprocessable;
    case OSP_E_DEADLINE:
      return ErrorCode::DeadlineExceeded;
    case OSP_E_CANCELLED:
      return ErrorCode::Unavailable;
    default:
      return ErrorCode::Internal;
  }
}

std::string statusName(osp_status status) {
  switch (status) {
    case OSP_OK:
      return "ok";
    case OSP_E_INVALID_ARGUMENT:
      return "invalid_argument";
    case OSP_E_UNSUPPORTED:
      return "unsupported";
    case OSP_E_CONFIG:
      return "config";
    case OSP_E_TRANSIENT:
      return "transient";
    case OSP_E_PERMANENT:
      return "permanent";
    case OSP_E_DEADLINE:
      return "deadline";
    case OSP_E_CANCELLED:
      return "cancelled";
    case OSP_E_INTERNAL:
      return "internal";
  }
  return "unknown_status";
}

void recordCallMetrics(metrics::MetricsRegistry& metrics, const std::string& pluginId, const std::string& version,
                       const std::string& operation, osp_status status, double seconds) {
  const metrics::Labels labels = {
      {"plugin", pluginId}, {"plugin_version", version}, {"operation", operation}, {"status", statusName(status)}};
  try {
    metrics.counter("ordersvc_plugins_calls_total", "Calls into plugins, by operation and outcome.", labels)
        .increment();
    metrics.histogram("ordersvc_plugins_call_duration_seconds", "Latency of calls into plugins.", labels)
        .observe(seconds);
  } catch (const std::exception& e) {
    logging::warn("plugin call metric not recorded", {{"reason", e.what()}});  // never lose a result over a metric
  }
}

}  // namespace

// A created plugin instance. Destroyed (destroy_instance) only on the control path,
// after every call holding it has returned.
struct PluginInstances::Active {
  std::shared_ptr<PluginLibrary> library;
  osp_instance* handle = nullptr;
  std::string version;
  std::string baseUrlOverride;
  std::atomic<int> consecutiveFaults{0};
  std::atomic<bool> quarantined{false};

  ~Active() {
    if (handle != nullptr && library && library->factory()) library->factory()->destroy_instance(handle);
  }
};

PluginInstances::PluginInstances(PluginRegistry& registry, metrics::MetricsRegistry& metrics)
    : registry_(registry), metrics_(metrics) {}

PluginInstances::~PluginInstances() {
  std::lock_guard control(controlMutex_);
  std::lock_guard lock(slotsMutex_);
  slots_.clear();
  retired_.clear();
}

Status PluginInstances::activateLocked(Slot& slot) {
  const PluginBinding& binding = slot.binding;
  InstanceStatus status{
      binding.organizationId, binding.instanceId, binding.pluginId, binding.versionRange, "", "", "", binding.kind};
  if (!binding.enabled) {
    status.state = "disabled";
    publish(slot, nullptr, status);
    return Status::ok();
  }
  const auto range = VersionRange::parse(binding.versionRange);
  if (!range) {
    status.state = "config_error";
    status.reason = "version range " + binding.versionRange + " is not valid";
    publish(slot, nullptr, status);
    return Error::unprocessable(status.reason);
  }
  std::shared_ptr<PluginLibrary> chosen;
  for (const auto& library : registry_.versionsOf(binding.pluginId)) {
    if (range->contains(library->manifest().version)) chosen = library;  // ascending: last match is highest
  }
  if (!chosen) {
    status.state = "unavailable";
    status.reason = "no loaded version of " + binding.pluginId + " matches " + binding.versionRange;
    publish(slot, nullptr, status);
    return Error::unprocessable(status.reason);
  }
  auto active = std::make_shared<Active>();
  active->library = chosen;
  active->version = chosen->manifest().version.toString();
  active->baseUrlOverride = binding.baseUrlOverride;
  CallState callState;
  callState.baseUrlOverride = binding.baseUrlOverride;
  callState.organizationId = binding.organizationId;
  osp_call_ctx ctx{sizeof(osp_call_ctx),
                   str(binding.organizationId),
                   str(binding.instanceId),
                   osp_str{"", 0},
                   osp_str{"", 0},
                   0,
                   &callState};
  CollectingSink err;
  osp_instance* handle = nullptr;
  const osp_status created = chosen->factory()->create_instance(
      &ctx, osp_bytes{reinterpret_cast<const uint8_t*>(slot.fullConfigJson.data()), slot.fullConfigJson.size()},
      &handle, &err.sink);
  if (created != OSP_OK || handle == nullptr) {
    status.state = "config_error";
    status.version = active->version;
    status.reason = binding.pluginId + "@" + active->version + " refused the configuration: " +
                    (err.errorMessage.empty() ? statusName(created) : err.errorMessage);
    active->handle = nullptr;
    noteRefusedConfiguration(slot, status);
    return Error::unprocessable(status.reason);
  }
  active->handle = handle;
  status.state = "active";
  status.version = active->version;
  logging::info("plugin instance active", {{"organization_id", binding.organizationId},
                                           {"instance_id", binding.instanceId},
                                           {"plugin", binding.pluginId},
                                           {"version", active->version}});
  publish(slot, std::move(active), status);
  return Status::ok();
}

void PluginInstances::publish(const Slot& slot, std::shared_ptr<Active> active, InstanceStatus status) {
  std::shared_ptr<Active> previous;
  {
    std::lock_guard lock(slotsMutex_);
    auto& target = slots_[{slot.binding.organizationId, slot.binding.instanceId}];
    previous = std::move(target.active);
    target.binding = slot.binding;
    target.fullConfigJson = slot.fullConfigJson;
    target.active = std::move(active);
    target.status = std::move(status);
  }
  if (previous) retired_.push_back(std::move(previous));
}

void PluginInstances::noteRefusedConfiguration(const Slot& slot, const InstanceStatus& status) {
  std::lock_guard lock(slotsMutex_);
  auto found = slots_.find({slot.binding.organizationId, slot.binding.instanceId});
  if (found == slots_.end() || !found->second.active) {
    auto& target = slots_[{slot.binding.organizationId, slot.binding.instanceId}];
    target.binding = slot.binding;
    target.fullConfigJson = slot.fullConfigJson;
    target.status = status;
  }
}

Status PluginInstances::activate(const PluginBinding& binding, const std::string& fullConfigJson) {
  std::lock_guard control(controlMutex_);
  Slot slot;
  slot.binding = binding;
  slot.fullConfigJson = fullConfigJson;
  const Status result = activateLocked(slot);
  reapRetired();
  return result;
}

void PluginInstances::deactivate(const std::string& organizationId, const std::string& instanceId) {
  std::lock_guard control(controlMutex_);
  std::shared_ptr<Active> previous;
  {
    std::lock_guard lock(slotsMutex_);
    auto found = slots_.find({organizationId, instanceId});
    if (found == slots_.end()) return;
    previous = std::move(found->second.active);
    slots_.erase(found);
  }
  if (previous) retired_.push_back(std::move(previous));
  reapRetired();
}

int PluginInstances::rebindAll() {
  std::lock_guard control(controlMutex_);
  std::vector<Slot> current;
  {
    std::lock_guard lock(slotsMutex_);
    for (const auto& [key, slot] : slots_) current.push_back(slot);
  }
  int changed = 0;
  for (auto& slot : current) {
    if (!slot.binding.enabled) continue;
    const auto range = VersionRange::parse(slot.binding.versionRange);
    if (!range) continue;
    std::string best;
    for (const auto& library : registry_.versionsOf(slot.binding.pluginId)) {
      if (range->contains(library->manifest().version)) best = library->manifest().version.toString();
    }
    const bool quarantined = slot.active && slot.active->quarantined.load();
    if (best.empty() || (slot.active && slot.active->version == best && !quarantined)) continue;
    if (activateLocked(slot)) ++changed;
  }
  reapRetired();
  return changed;
}

void PluginInstances::reapRetired() {
  // Called with controlMutex_ held. use_count()==1: only this list still holds it, so
  // no call is running on it and none can start.
  for (auto it = retired_.begin(); it != retired_.end();) {
    if (it->use_count() == 1) {
      it = retired_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<PluginCallResult> PluginInstances::call(const PluginCall& request) {
  std::shared_ptr<Active> active;
  std::string pluginId;
  {
    std::lock_guard lock(slotsMutex_);
    const auto found = slots_.find({request.organizationId, request.instanceId});
    if (found == slots_.end()) {
      return Error::notFound("plugin instance " + request.instanceId + " not found in organization " +
                             request.organizationId);
    }
    active = found->second.active;
    pluginId = found->second.binding.pluginId;
    if (!active) {
      return Error::unavailable("plugin instance " + request.instanceId + " is " + found->second.status.state +
                                (found->second.status.reason.empty() ? "" : ": " + found->second.status.reason));
    }
  }
  if (active->quarantined.load()) {
    return Error::unavailable("plugin instance " + request.instanceId + " is quarantined after " +
                              std::to_string(kQuarantineAfterFaults) + " consecutive faults");
  }
  const OperationInfo* info = findOperation(request.operation);
  if (info == nullptr) return Error::invalidArgument("unknown plugin operation " + request.operation);
  const osp_operation_fn fn = operationIn(active->library->interface(info->interfaceId), *info);
  if (fn == nullptr) {
    return Error::unprocessable(pluginId + "@" + active->version + " does not support " + request.operation);
  }

  CallState state;
  state.organizationId = request.organizationId;
  state.baseUrlOverride = active->baseUrlOverride;
  const int64_t deadline = nowMs() + request.timeout.count();
  osp_call_ctx ctx{sizeof(osp_call_ctx),
                   str(request.organizationId),
                   str(request.instanceId),
                   str(request.requestId),
                   str(request.idempotencyKey),
                   deadline,
                   &state};
  CollectingSink out;
  const auto started = std::chrono::steady_clock::now();
  osp_status status = fn(
      active->handle, &ctx,
      osp_bytes{reinterpret_cast<const uint8_t*>(request.requestJson.data()), request.requestJson.size()}, &out.sink);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (nowMs() > deadline && status == OSP_OK) status = OSP_E_DEADLINE;  // an answer too late is no answer

  bool fault = status == OSP_E_INTERNAL;
  std::string faultReason = out.errorMessage;
  if (status == OSP_OK) {
    std::string why;
    if (!isJsonObject(out.output, &why)) {
      fault = true;
      status = OSP_E_INTERNAL;
      faultReason = "plugin returned invalid JSON: " + why;
    }
  }
  recordCallMetrics(metrics_, pluginId, active->version, request.operation, status, seconds);

  if (fault) return recordFault(active, pluginId, request, faultReason);
  if (status != OSP_OK) {
    active->consecutiveFaults = 0;  // a clean refusal is not a fault
    const std::string why = out.errorMessage.empty() ? statusName(status) : out.errorMessage;
    return Error{errorCodeFor(status), pluginId + "@" + active->version + " " + request.operation + ": " + why +
                                           (out.errorCode.empty() ? "" : " (" + out.errorCode + ")") + " [" +
                                           statusName(status) + "]"};
  }
  active->consecutiveFaults = 0;
  return PluginCallResult{out.output, pluginId, active->version};
}

Error PluginInstances::recordFault(const std::shared_ptr<Active>& active, const std::string& pluginId,
                                   const PluginCall& request, const std::string& faultReason) {
  const int faults = ++active->consecutiveFaults;
  logging::warn("plugin call faulted", {{"plugin", pluginId},
                                        {"version", active->version},
                                        {"organization_id", request.organizationId},
                                        {"instance_id", request.instanceId},
                                        {"operation", request.operation},
                                        {"request_id", request.requestId},
                                        {"consecutive_faults", faults},
                                        {"reason", faultReason}});
  if (faults >= kQuarantineAfterFaults && !active->quarantined.exchange(true)) {
    std::lock_guard lock(slotsMutex_);
    auto found = slots_.find({request.organizationId, request.instanceId});
    if (found != slots_.end() && found->second.active == active) {
      found->second.status.state = "quarantined";
      found->second.status.reason = std::to_string(faults) + " consecutive faults; last: " + faultReason;
    }
    logging::error(
        "plugin instance quarantined",
        {{"plugin", pluginId}, {"instance_id", request.instanceId}, {"organization_id", request.organizationId}});
  }
  return Error::internal(pluginId + "@" + active->version + " failed " + request.operation + ": " + faultReason);
}

bool PluginInstances::supports(const std::string& organizationId, const std::string& instanceId,
                               const std::string& operation) const {
  const OperationInfo* info = findOperation(operation);
  if (info == nullptr) return false;
  std::shared_ptr<Active> active;
  {
    std::lock_guard lock(slotsMutex_);
    auto found = slots_.find({organizationId, instanceId});
    if (found == slots_.end()) return false;
    active = found->second.active;
  }
  return active && operationIn(active->library->interface(info->interfaceId), *info) != nullptr;
}

std::vector<InstanceStatus> PluginInstances::statuses(const std::string& organizationId) const {
  std::lock_guard lock(slotsMutex_);
  std::vector<InstanceStatus> out;
  for (const auto& [key, slot] : slots_) {
    if (key.first == organizationId) out.push_back(slot.status);
  }
  return out;
}

std::map<std::pair<std::string, std::string>, int64_t> PluginInstances::revisions() const {
  std::lock_guard lock(slotsMutex_);
  std::map<std::pair<std::string, std::string>, int64_t> out;
  for (const auto& [key, slot] : slots_) out[key] = slot.binding.revision;
  return out;
}

InstanceStatus PluginInstances::status(const std::string& organizationId, const std::string& instanceId) const {
  std::lock_guard lock(slotsMutex_);
  const auto found = slots_.find({organizationId, instanceId});
  if (found == slots_.end()) return InstanceStatus{organizationId, instanceId, "", "", "absent", "", ""};
  return found->second.status;
}

}  // namespace ordersvc::plugins
