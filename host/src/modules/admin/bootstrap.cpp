#include "modules/admin/bootstrap.h"

#include <fstream>
#include <sstream>

#include <Poco/JSON/Parser.h>

#include "platform/logging/log.h"
#include "platform/storage/clock_text.h"

namespace ordersvc::modules {

using Poco::JSON::Object;

Status applyBootstrapFile(const std::string& path, services::OrganizationRepository& organizations,
                          plugins::PluginBindingService& bindings) {
  std::ifstream in(path);
  if (!in) return Error::invalidArgument("cannot read bootstrap file " + path);
  std::stringstream text;
  text << in.rdbuf();
  Object::Ptr root;
  try {
    root = Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return Error::invalidArgument("bootstrap file " + path + " is not JSON: " + e.displayText());
  }
  auto list = root->getArray("organizations");
  if (!list) return Error::invalidArgument("bootstrap file " + path + " has no \"organizations\" array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto entry = list->getObject(i);
    if (!entry) return Error::invalidArgument("bootstrap organizations[" + std::to_string(i) + "] is not an object");
    const std::string id = entry->optValue<std::string>("id", "");
    if (id.empty()) return Error::invalidArgument("bootstrap organizations[" + std::to_string(i) + "] has no id");
    if (!organizations.findById(id)) {
      domain::OrganizationDraft draft{
          entry->optValue<std::string>("slug", ""), entry->optValue<std::string>("name", ""),
          entry->optValue<std::string>("country", ""), entry->optValue<std::string>("default_currency", ""), "active"};
      auto valid = domain::validateOrganization(draft);
      if (!valid) return Error::invalidArgument("bootstrap organization " + id + ": " + valid.error().message);
      auto created = organizations.create(id, *valid, storage::utcNowText());
      if (!created && created.error().code != ErrorCode::Conflict) return created.error();
      logging::info("bootstrap organization created", {{"organization_id", id}});
    }
    auto plugins = entry->getArray("plugins");
    if (!plugins) continue;
    for (std::size_t j = 0; j < plugins->size(); ++j) {
      auto plugin = plugins->getObject(j);
      if (!plugin) continue;
      const std::string instanceId = plugin->optValue<std::string>("instance_id", "");
      if (bindings.get(id, instanceId)) continue;  // never overwrite what an admin changed
      plugins::BindingInput input;
      input.pluginId = plugin->optValue<std::string>("plugin_id", "");
      input.versionRange = plugin->optValue<std::string>("version_range", "*");
      input.enabled = plugin->optValue<bool>("enabled", true);
      if (auto config = plugin->getObject("config")) {
        std::ostringstream out;
        config->stringify(out);
        input.configJson = out.str();
      }
      auto stored = bindings.put(id, instanceId, input, storage::utcNowText());
      if (!stored) {
        logging::warn("bootstrap plugin instance not enabled",
                      {{"organization_id", id}, {"instance_id", instanceId}, {"reason", stored.error().message}});
      } else {
        logging::info("bootstrap plugin instance enabled",
                      {{"organization_id", id}, {"instance_id", instanceId}, {"state", stored->status.state}});
      }
    }
  }
  return Status::ok();
}

}  // namespace ordersvc::modules
