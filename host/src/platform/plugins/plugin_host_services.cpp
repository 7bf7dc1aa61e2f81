#include "platform/plugins/plugin_host_services.h"

#include <chrono>
#include <cstring>

#include <Poco/JSON/Parser.h>

#include "osp/osp_entry.h"
#include "platform/logging/log.h"
#include "platform/plugins/plugin_http_client.h"
#include "platform/plugins/plugin_state_store.h"

namespace ordersvc::plugins {

namespace {

std::string_view view(osp_str s) {
  return s.ptr == nullptr ? std::string_view{} : std::string_view(s.ptr, s.len);
}

logging::Level levelOf(osp_log_level level) {
  switch (level) {
    case OSP_LOG_DEBUG:
      return logging::Level::Debug;
    case OSP_LOG_INFO:
      return logging::Level::Info;
    case OSP_LOG_WARN:
      return logging::Level::Warn;
    case OSP_LOG_ERROR:
      return logging::Level::Error;
  }
  return logging::Level::Info;
}

void OSP_CC hostLog(const osp_host* host, const osp_call_ctx* ctx, osp_log_level level, osp_str message) {
  const auto* self = PluginHostServices::from(host);
  if (self == nullptr) return;
  const std::string_view organization = ctx != nullptr ? view(ctx->organization_id) : std::string_view{};
  const std::string_view requestId = ctx != nullptr ? view(ctx->request_id) : std::string_view{};
  logging::write(levelOf(level), view(message),
                 {{"plugin", self->pluginId()},
                  {"plugin_version", self->pluginVersion()},
                  {"organization_id", organization},
                  {"request_id", requestId}});
}

int64_t OSP_CC hostNow(const osp_host*) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int OSP_CC hostIsExpired(const osp_host* host, const osp_call_ctx* ctx) {
  if (ctx == nullptr) return 0;
  if (ctx->host_data != nullptr && static_cast<const CallState*>(ctx->host_data)->cancelled.load()) return 1;
  return ctx->deadline_unix_ms != 0 && hostNow(host) >= ctx->deadline_unix_ms ? 1 : 0;
}

bool isMetricName(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Builds the metric's labels: the plugin's own (a flat JSON object of strings) plus
// plugin and plugin_version, which a plugin cannot override.
bool metricLabels(const PluginHostServices& self, osp_str labelsJson, metrics::Labels& out) {
  out.clear();
  if (labelsJson.len > 0) {
    try {
      auto object = Poco::JSON::Parser().parse(std::string(view(labelsJson))).extract<Poco::JSON::Object::Ptr>();
      for (const auto& [key, value] : *object) {
        if (!isMetricName(key) || key == "plugin" || key == "plugin_version" || !value.isString()) return false;
        out.emplace_back(key, value.toString());
      }
    } catch (...) {
      return false;
    }
  }
  out.emplace_back("plugin", self.pluginId());
  out.emplace_back("plugin_version", self.pluginVersion());
  return true;
}

template <typename Record>
void recordMetric(const osp_host* host, osp_str name, osp_str labelsJson, Record record) {
  const auto* self = PluginHostServices::from(host);
  if (self == nullptr || self->environment().metrics == nullptr) return;
  metrics::Labels labels;
  if (!isMetricName(view(name)) || !metricLabels(*self, labelsJson, labels)) {
    hostLog(host, nullptr, OSP_LOG_WARN, osp_str{"metric ignored: bad name or labels", 34});
    return;
  }
  try {
    record(*self->environment().metrics, "ordersvc_plugin_" + std::string(view(name)), labels);
  } catch (const std::exception& e) {
    // A name reused with another type: the plugin's mistake, not the host's.
    logging::warn("plugin metric ignored", {{"plugin", self->pluginId()}, {"reason", e.what()}});
  }
}

void OSP_CC metricCounterAdd(const osp_host* host, osp_str name, osp_str labels, double delta) {
  if (!(delta >= 0)) return;  // counters only go up
  recordMetric(host, name, labels,
               [delta](metrics::MetricsRegistry& r, const std::string& n, const metrics::Labels& l) {
                 r.counter(n, "Plugin-defined counter.", l).increment(delta);
               });
}

void OSP_CC metricGaugeSet(const osp_host* host, osp_str name, osp_str labels, double value) {
  recordMetric(host, name, labels,
               [value](metrics::MetricsRegistry& r, const std::string& n, const metrics::Labels& l) {
                 r.gauge(n, "Plugin-defined gauge.", l).set(value);
               });
}

void OSP_CC metricHistogramObserve(const osp_host* host, osp_str name, osp_str labels, double value) {
  recordMetric(host, name, labels,
               [value](metrics::MetricsRegistry& r, const std::string& n, const metrics::Labels& l) {
                 r.histogram(n, "Plugin-defined histogram.", l).observe(value);
               });
}

const osp_metrics_v1 kMetrics = {sizeof(osp_metrics_v1), &metricCounterAdd, &metricGaugeSet, &metricHistogramObserve};

const void* OSP_CC hostGetService(const osp_host* host, const char* id) {
  const auto* self = PluginHostServices::from(host);
  if (self == nullptr || id == nullptr) return nullptr;
  if (std::strcmp(id, OSP_SERVICE_METRICS_V1) == 0) return self->environment().metrics ? &kMetrics : nullptr;
  if (std::strcmp(id, OSP_SERVICE_KV_V1) == 0) {
    return self->environment().state ? PluginStateStore::table() : nullptr;
  }
  if (std::strcmp(id, OSP_SERVICE_HTTP_V1) == 0) {
    return self->environment().http ? PluginHttpClient::table() : nullptr;
  }
  return nullptr;
}

}  // namespace

PluginHostServices::PluginHostServices(std::string pluginId, std::string pluginVersion, uint32_t negotiatedMinor,
                                       std::vector<std::string> manifestEgressHosts, HostEnvironment environment)
    : pluginId_(std::move(pluginId)),
      pluginVersion_(std::move(pluginVersion)),
      manifestEgressHosts_(std::move(manifestEgressHosts)),
      environment_(std::move(environment)) {
  host_.struct_size = sizeof(osp_host);
  host_.abi_major = OSP_ABI_MAJOR;
  host_.abi_minor = negotiatedMinor;
  host_.host_name = osp_str{hostName_.data(), hostName_.size()};
  host_.host_version = osp_str{environment_.hostVersion.data(), environment_.hostVersion.size()};
  host_.host_data = this;
  host_.log = &hostLog;
  host_.now_unix_ms = &hostNow;
  host_.is_expired = &hostIsExpired;
  host_.get_service = &hostGetService;
}

PluginHostServices::~PluginHostServices() {
  host_.host_data = nullptr;
}

const PluginHostServices* PluginHostServices::from(const osp_host* host) {
  return host == nullptr ? nullptr : static_cast<const PluginHostServices*>(host->host_data);
}

}  // namespace ordersvc::plugins
