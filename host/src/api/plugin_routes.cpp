#include "api/plugin_routes.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace ordersvc::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kAdminRole = "order.admin";

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

}  // namespace

void addPluginRoutes(Router& router, const Authenticator& authenticator, plugins::PluginRegistry& registry,
                     plugins::PluginInstances& instances) {
  router.add("GET", "/api/v1/plugins", [&authenticator, &registry](const Request& request) {
    auto principal = authenticator.require(request, kAdminRole);
    if (!principal) return authErrorResponse(principal.error());
    Object::Ptr abi = new Object;
    abi->set("major", static_cast<int>(OSP_ABI_MAJOR));
    abi->set("minor", static_cast<int>(OSP_ABI_MINOR));
    Object::Ptr data = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    data->set("abi", abi);
    data->set("plugins", pluginsJson(registry));
    return successResponse(data);
  });
  router.add("POST", "/api/v1/plugins/reload", [&authenticator, &registry, &instances](const Request& request) {
    auto principal = authenticator.require(request, kAdminRole);
    if (!principal) return authErrorResponse(principal.error());
    if (!principal->organizationId.empty()) {
      return authErrorResponse(Error{ErrorCode::PermissionDenied, "reloading plugins is for platform admins"});
    }
    const auto report = registry.reload();
    const int moved = instances.rebindAll();
    Object::Ptr data = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    data->set("loaded", strings(report.loaded));
    data->set("refused", strings(report.refused));
    data->set("instances_moved", moved);
    data->set("plugins", pluginsJson(registry));
    return successResponse(data);
  });
}

}  // namespace ordersvc::api
