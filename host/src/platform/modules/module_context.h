#pragma once

#include <chrono>
#include <string>

#include "domain/commerce_settings.h"
#include "kernel/clock.h"
#include "platform/config/settings.h"
#include "platform/integrations/cache.h"
#include "platform/plugins/plugin_gateway.h"
#include "platform/plugins/secret_box.h"
#include "platform/storage/database.h"
#include "platform/tenancy/organization_repository.h"

namespace ordersvc::platform {

// What the platform gives every module: built by the app before any module, owned by
// it, and alive until every module is gone.
struct ModuleContext {
  const config::Settings& settings;
  storage::Database& database;
  integrations::Cache& cache;  // carts and orders as rendered (Redis, or none)
  services::PluginGateway& plugins;
  services::OrganizationRepository& organizations;
  const plugins::SecretBox& secretBox;  // seals what modules keep of providers at rest
  services::CommerceSettings commerce;  // the business rules read from configuration
  Clock clock;
  std::string bootstrapFile;  // config/bootstrap.json or BOOTSTRAP_FILE; empty for none
};

}  // namespace ordersvc::platform
