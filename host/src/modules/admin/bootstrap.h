#pragma once

#include <string>

#include "platform/plugins/plugin_binding_service.h"
#include "platform/tenancy/organization_repository.h"

namespace ordersvc::modules {

// Applies a bootstrap file (BOOTSTRAP_FILE, default config/bootstrap.json when present)
// at start-up: organizations that do not exist yet are created, and their plugin
// instances that do not exist yet are enabled. Existing ones are never changed, so the
// file seeds a fresh embedded database and is harmless afterwards.
//
//   {"organizations": [{"id": "org_demo", "slug": "demo", "name": "Demo Store",
//       "country": "CL", "default_currency": "CLP",
//       "plugins": [{"instance_id": "cash", "plugin_id": "cash", "version_range": "^1",
//                    "config": {...}}]}]}
//
// Errors: InvalidArgument for a malformed file (naming the entry); problems with one
// plugin instance are logged and do not stop the others.
Status applyBootstrapFile(const std::string& path, services::OrganizationRepository& organizations,
                          plugins::PluginBindingService& bindings);

}  // namespace ordersvc::modules
