#pragma once

#include <vector>

#include "platform/http/route_table.h"
#include "platform/plugins/plugin_instances.h"
#include "platform/plugins/plugin_registry.h"

namespace ordersvc::api {

// Plugin administration (role order.admin):
//   GET  /api/v1/plugins         every plugin version found, loaded or refused with reason
//   POST /api/v1/plugins/reload  rescan the plugins directories, load new versions and move
//                                every organization's instances to the best version their
//                                range allows (calls in flight finish on the old one)
// The rows keep `registry` and `instances` by reference: they must outlive the table.
std::vector<RouteRow> pluginRoutes(plugins::PluginRegistry& registry, plugins::PluginInstances& instances);

}  // namespace ordersvc::api
