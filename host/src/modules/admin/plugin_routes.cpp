#include "modules/admin/plugin_routes.h"

#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "osp/osp_entry.h"

namespace ordersvc::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array::Ptr strings(const std::vector<std::string>& values) {
  Array::Ptr out = new Array;
  for (const auto& v : values) out->add(v);
  return out;
}

Array::Ptr pluginsJson(const plugins::PluginRegistry& registry) {
  Array::Ptr out = new Array;
  for (const auto& record : registry.list()) {
    Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set("id", record.id);
    item->set("version", record.version);
    item->set("kind", record.kind);
    item->set("state", record.state == plugins::PluginRecord::State::Loaded ? "loaded" : "refused");
    if (!record.reason.empty()) item->set("reason", record.reason);
    item->set("directory", record.directory);
    if (record.manifest) {
      item->set("name", record.manifest->name);
      item->set("vendor", record.manifest->vendor);
      item->set("operations", strings(record.manifest->operations));
    }
    if (record.library) {
      item->set("abi_minor", static_cast<int>(record.library->negotiatedMinor()));
      item->set("unload_safe", record.library->unloadSafe());
    }
    out->add(item);
  }
  return out;
}

Response listPlugins(const plugins::PluginRegistry& registry) {
  Object::Ptr abi = new Object;
  abi->set("major", static_cast<int>(OSP_ABI_MAJOR));
  abi->set("minor", static_cast<int>(OSP_ABI_MINOR));
  Object::Ptr data = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  data->set("abi", abi);
  data->set("plugins", pluginsJson(registry));
  return successResponse(data);
}

Response reload(plugins::PluginRegistry& registry, plugins::PluginInstances& instances, const services::Actor& admin) {
  // Plugins are shared by every organization: an admin of one may not swap them.
  if (!admin.organizationId.empty()) {
    return failureResponse(Error::permissionDenied("reloading plugins is for platform admins"));
  }
  const auto report = registry.reload();
  const int moved = instances.rebindAll();
  Object::Ptr data = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  data->set("loaded", strings(report.loaded));
  data->set("refused", strings(report.refused));
  data->set("instances_moved", moved);
  data->set("plugins", pluginsJson(registry));
  return successResponse(data);
}

}  // namespace

// Role order.admin on both rows (the table answers 401/403 first). No policies: these
// routes were never rate limited.
std::vector<RouteRow> pluginRoutes(plugins::PluginRegistry& registry, plugins::PluginInstances& instances) {
  return {
      {.method = "GET",
       .path = "/api/v1/plugins",
       .audience = Audience::Admin,
       .policies = kNoPolicy,
       .handler = [&registry](const services::Actor&, const Request&) { return listPlugins(registry); }},
      {.method = "POST",
       .path = "/api/v1/plugins/reload",
       .audience = Audience::Admin,
       .policies = kNoPolicy,
       .handler = [&registry, &instances](const services::Actor& admin,
                                          const Request&) { return reload(registry, instances, admin); }},
  };
}

}  // namespace ordersvc::api
