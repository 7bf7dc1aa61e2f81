#pragma once

#include <vector>

#include "platform/http/route_table.h"
#include "platform/plugins/plugin_binding_service.h"
#include "platform/plugins/plugin_instances.h"
#include "platform/tenancy/organization_repository.h"

namespace ordersvc::api {

// Organizations (tenants) and their plugin instances. All routes need role
// order.admin; a token bound to an organization (org_id) reaches only that one.
//   GET  /api/v1/organizations                     list (platform admins only)
//   POST /api/v1/organizations                     create (platform admins only)
//   GET  /api/v1/organizations/{org_id}
//   GET  /api/v1/organizations/{org_id}/plugins
//   GET|PUT|DELETE /api/v1/organizations/{org_id}/plugins/{instance_id}
//   POST /api/v1/organizations/{org_id}/plugins/{instance_id}/invoke
//        {"operation": "tax.calculate", "request": {...}}: a test call through the ABI
// The rows keep the three services by reference: they must outlive the table.
std::vector<RouteRow> organizationRoutes(services::OrganizationRepository& organizations,
                                         plugins::PluginBindingService& bindings, plugins::PluginInstances& instances);

}  // namespace ordersvc::api
