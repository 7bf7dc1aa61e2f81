#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "kernel/result.h"
#include "platform/metrics/metrics_registry.h"
#include "platform/plugins/plugin_http_client.h"
#include "platform/plugins/plugin_instances.h"
#include "platform/plugins/plugin_registry.h"
#include "platform/plugins/plugin_state_store.h"
#include "platform/storage/database.h"

namespace ordersvc::testing {

// A bundled provider plugin (Stripe, PayPal, MercadoPago, ...) loaded from the build's
// plugins directory through the real PluginRegistry and PluginInstances, with the real
// host services: osp.http/1 (PluginHttpClient: egress allow-list, base-URL override,
// secret masking) and osp.kv/1 (PluginStateStore on a fresh SQLite database). This is
// the service's own path into a plugin, minus HTTP routing; point the instance's
// base URL at a PrismServer or a ScriptedProvider.
class ProviderPluginTest : public ::testing::Test {
 protected:
  static constexpr const char* kOrganization = "org_test";
  static constexpr const char* kInstance = "inst_1";

  void SetUp() override;
  void TearDown() override;

  // Activates instance kInstance of kOrganization on the plugin's bundled version with
  // its full configuration (secret fields included, as the host hands them over) and
  // every HTTP request sent to baseUrl instead of the provider. The error is the
  // activation's (a configuration the plugin refuses).
  Status activate(const std::string& pluginId, const std::string& fullConfigJson, const std::string& baseUrl,
                  const std::string& instanceId = kInstance);

  // One operation ("payment.sale") through PluginInstances::call, as the host calls it,
  // with `timeout` as the call's deadline (a provider slower than that is a time-out).
  Result<plugins::PluginCallResult> call(const std::string& operation, const std::string& requestJson,
                                         const std::string& idempotencyKey = "idem-1",
                                         const std::string& instanceId = kInstance,
                                         std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

  plugins::PluginStateStore& state() { return *state_; }

 private:
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<plugins::PluginStateStore> state_;
  std::unique_ptr<metrics::MetricsRegistry> metrics_;
  std::unique_ptr<plugins::PluginHttpClient> http_;
  std::unique_ptr<plugins::PluginRegistry> registry_;
  std::unique_ptr<plugins::PluginInstances> instances_;
};

}  // namespace ordersvc::testing
