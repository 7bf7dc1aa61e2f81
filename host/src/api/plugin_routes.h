#pragma once

#include "api/authenticator.h"
#include "api/router.h"
#include "plugins/plugin_instances.h"
#include "plugins/plugin_registry.h"

namespace ordersvc::api {

// Plugin administration (role order.admin):
//   GET  /api/v1/plugins         every plugin version found, loaded or refused with reason
//   POST /api/v1/plugins/reload  rescan the plugins directories, load new versions and move
//                                every organization's instances to the best version their
//                                range allows (calls in flight finish on the old one)
void addPluginRoutes(Router& router, const Authenticator& authenticator, plugins::PluginRegistry& registry,
                     plugins::PluginInstances& instances);

}  // namespace ordersvc::api
