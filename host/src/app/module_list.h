#pragma once

#include <memory>
#include <vector>

#include "app/platform_runtime.h"
#include "platform/modules/module.h"
#include "platform/storage/migration.h"

namespace ordersvc::app {

// The service's modules, built on the platform, in the order they register (and so
// the order their routes are listed, their jobs run and start() is called).
std::vector<std::unique_ptr<platform::Module>> buildModules(PlatformRuntime& platform);

// The platform's own schema changes (organizations, plugin state and bindings, outbox).
std::vector<storage::Migration> platformMigrations();

// The whole schema history, as released: the platform's migrations and every module's,
// in version order. The same list the modules register (a test holds them equal).
const std::vector<storage::Migration>& allMigrations();

}  // namespace ordersvc::app
