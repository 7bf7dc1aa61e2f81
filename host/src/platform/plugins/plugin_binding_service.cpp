#include "platform/plugins/plugin_binding_service.h"

#include <set>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "platform/logging/log.h"
#include "platform/plugins/collecting_sink.h"
#include "platform/plugins/config_schema_check.h"
#include "platform/plugins/plugin_host_services.h"

namespace ordersvc::plugins {

namespace {

using Poco::JSON::Object;

constexpr const char* kMask = "********";

std::string stringify(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

Object::Ptr parseObject(const std::string& json) {
  auto value = Poco::JSON::Parser().parse(json);
  if (value.type() != typeid(Object::Ptr)) throw Poco::Exception("not a JSON object");
  return value.extract<Object::Ptr>();
}

// Top-level properties the plugin's schema marks "x-secret": true.
std::set<std::string> secretFields(const std::string& schemaJson) {
  std::set<std::string> out;
  try {
    auto schema = parseObject(schemaJson);
    auto properties = schema->getObject("properties");
    if (!properties) return out;
    for (const auto& [name, value] : *properties) {
      if (value.type() != typeid(Object::Ptr)) continue;
      const auto property = value.extract<Object::Ptr>();
      if (property->has("x-secret") && property->get("x-secret").isBoolean() && property->getValue<bool>("x-secret")) {
        out.insert(name);
      }
    }
  } catch (...) {
  }
  return out;
}

bool isInstanceId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

std::string associatedData(const std::string& organizationId, const std::string& instanceId) {
  return "plugin-binding:" + organizationId + ":" + instanceId;
}

// The last loaded version of the plugin that the input's range admits; the errors name
// what is loaded.
Result<std::shared_ptr<PluginLibrary>> chooseVersion(PluginRegistry& registry, const BindingInput& input) {
  const auto versions = registry.versionsOf(input.pluginId);
  if (versions.empty()) return Error::unprocessable("no loaded plugin has id '" + input.pluginId + "'");
  const auto range = VersionRange::parse(input.versionRange);
  if (!range) return Error::unprocessable("version_range '" + input.versionRange + "' is not a valid range");
  std::shared_ptr<PluginLibrary> chosen;
  for (const auto& library : versions) {
    if (range->contains(library->manifest().version)) chosen = library;
  }
  if (!chosen) {
    std::string available;
    for (const auto& library : versions) {
      available += (available.empty() ? "" : ", ") + library->manifest().version.toString();
    }
    return Error::unprocessable("no loaded version of " + input.pluginId + " matches " + input.versionRange +
                                " (loaded: " + available + ")");
  }
  return chosen;
}

// "********" keeps the stored secret, so a client can send back what it read.
void keepStoredSecrets(Object& config, const std::string& previousJson, const std::set<std::string>& secretNames) {
  auto previousConfig = parseObject(previousJson);
  for (const auto& name : secretNames) {
    if (config.has(name) && config.get(name).isString() && config.getValue<std::string>(name) == kMask &&
        previousConfig->has(name)) {
      config.set(name, previousConfig->get(name));
    }
  }
}

// The plugin's declared schema, checked by the host; the problems go in the error's details.
Status checkDeclaredSchema(const PluginLibrary& chosen, const std::string& pluginId, const std::string& full) {
  const auto problems = checkAgainstSchema(chosen.manifest().configSchemaJson, full);
  if (problems.empty()) return Status::ok();
  Poco::JSON::Array errors;
  for (const auto& problem : problems) {
    Object::Ptr item = new Object;
    item->set("path", problem.path);
    item->set("message", problem.message);
    errors.add(item);
  }
  std::ostringstream details;
  errors.stringify(details);
  Error error{ErrorCode::Unprocessable,
              "configuration does not match the schema of " + pluginId + "@" + chosen.manifest().version.toString()};
  error.detailsJson = details.str();
  return error;
}

// The plugin judges its own configuration (validate_config); its error list goes in the details.
Status checkPluginVerdict(const PluginLibrary& chosen, const std::string& pluginId, const std::string& full) {
  CollectingSink collect;
  const osp_status validated = chosen.factory()->validate_config(
      osp_bytes{reinterpret_cast<const uint8_t*>(full.data()), full.size()}, &collect.sink);
  if (validated != OSP_OK) {
    return Error::unprocessable(pluginId + " could not validate the configuration");
  }
  try {
    auto verdict = parseObject(collect.output);
    if (!verdict->optValue<bool>("valid", false)) {
      std::ostringstream errors;
      if (auto list = verdict->getArray("errors")) list->stringify(errors);
      Error error{ErrorCode::Unprocessable,
                  "configuration rejected by " + pluginId + "@" + chosen.manifest().version.toString()};
      error.detailsJson = errors.str().empty() ? "[]" : errors.str();
      return error;
    }
  } catch (const Poco::Exception&) {
    return Error::internal(pluginId + " answered validate_config with invalid JSON");
  }
  return Status::ok();
}

// Secret fields are stored only sealed; the rest stays readable in publicConfigJson.
Status sealConfig(const Object::Ptr& config, const std::set<std::string>& secretNames, const SecretBox& secrets,
                  PluginBinding& binding) {
  Object::Ptr publicPart = new Object;
  Object::Ptr secretPart = new Object;
  for (const auto& [name, value] : *config) {
    (secretNames.count(name) ? secretPart : publicPart)->set(name, value);
  }
  binding.publicConfigJson = stringify(publicPart);
  if (secretPart->size() > 0) {
    auto sealed = secrets.seal(stringify(secretPart), associatedData(binding.organizationId, binding.instanceId));
    if (!sealed) return sealed.error();
    binding.sealedSecrets = *sealed;
  }
  return Status::ok();
}

// The plugin must be able to create an instance from this configuration before it is
// stored: a configuration it refuses is never saved (nor would it come back at restart).
Status probeInstance(const PluginLibrary& chosen, const std::string& organizationId, const std::string& instanceId,
                     const BindingInput& input, const std::string& full) {
  CallState probeState;
  probeState.organizationId = organizationId;
  probeState.baseUrlOverride = input.baseUrlOverride;
  const osp_call_ctx ctx{sizeof(osp_call_ctx),
                         osp_str{organizationId.data(), organizationId.size()},
                         osp_str{instanceId.data(), instanceId.size()},
                         osp_str{"", 0},
                         osp_str{"", 0},
                         0,
                         &probeState};
  CollectingSink err;
  osp_instance* probe = nullptr;
  const osp_status created = chosen.factory()->create_instance(
      &ctx, osp_bytes{reinterpret_cast<const uint8_t*>(full.data()), full.size()}, &probe, &err.sink);
  if (created != OSP_OK || probe == nullptr) {
    return Error::unprocessable(
        input.pluginId + "@" + chosen.manifest().version.toString() +
        " refused the configuration: " + (err.errorMessage.empty() ? "create_instance failed" : err.errorMessage));
  }
  chosen.factory()->destroy_instance(probe);
  return Status::ok();
}

}  // namespace

PluginBindingService::PluginBindingService(PluginBindingRepository& bindings,
                                           services::OrganizationRepository& organizations, PluginRegistry& registry,
                                           PluginInstances& instances, const SecretBox& secrets)
    : bindings_(bindings),
      organizations_(organizations),
      registry_(registry),
      instances_(instances),
      secrets_(secrets) {}

Result<std::string> PluginBindingService::fullConfig(const PluginBinding& binding) {
  Object::Ptr config;
  try {
    config = parseObject(binding.publicConfigJson);
  } catch (const Poco::Exception& e) {
    return Error::internal("stored configuration of " + binding.instanceId + " is not JSON");
  }
  if (!binding.sealedSecrets.empty()) {
    auto opened = secrets_.open(binding.sealedSecrets, associatedData(binding.organizationId, binding.instanceId));
    if (!opened)
      return Error::internal("secrets of " + binding.instanceId + " cannot be opened: " + opened.error().message);
    auto secretObject = parseObject(*opened);
    for (const auto& [name, value] : *secretObject) config->set(name, value);
  }
  return stringify(config);
}

BindingView PluginBindingService::view(const PluginBinding& binding) {
  BindingView out{binding, binding.publicConfigJson, instances_.status(binding.organizationId, binding.instanceId)};
  try {
    auto config = parseObject(binding.publicConfigJson);
    if (!binding.sealedSecrets.empty()) {
      // The names of stored secrets are not secret; their values are.
      auto opened = secrets_.open(binding.sealedSecrets, associatedData(binding.organizationId, binding.instanceId));
      if (opened) {
        const auto secretObject = parseObject(*opened);  // kept alive for the loop
        for (const auto& [name, value] : *secretObject) config->set(name, kMask);
      }
    }
    out.maskedConfigJson = stringify(config);
  } catch (...) {
  }
  return out;
}

Result<std::vector<BindingView>> PluginBindingService::list(const std::string& organizationId) {
  auto organization = organizations_.findById(organizationId);
  if (!organization) return organization.error();
  auto stored = bindings_.listForOrganization(organizationId);
  if (!stored) return stored.error();
  std::vector<BindingView> out;
  for (const auto& binding : *stored) out.push_back(view(binding));
  return out;
}

Result<BindingView> PluginBindingService::get(const std::string& organizationId, const std::string& instanceId) {
  auto binding = bindings_.find(organizationId, instanceId);
  if (!binding) return binding.error();
  return view(*binding);
}

Result<BindingView> PluginBindingService::put(const std::string& organizationId, const std::string& instanceId,
                                              const BindingInput& input, const std::string& now) {
  auto organization = organizations_.findById(organizationId);
  if (!organization) return organization.error();
  if (!isInstanceId(instanceId)) {
    return Error::invalidArgument("instance id must be 1-64 characters of a-z, 0-9, '_' and '-'");
  }
  auto version = chooseVersion(registry_, input);
  if (!version) return version.error();
  const std::shared_ptr<PluginLibrary>& chosen = *version;

  Object::Ptr config;
  try {
    config = parseObject(input.configJson);
  } catch (const Poco::Exception&) {
    return Error::invalidArgument("config must be a JSON object");
  }
  const auto existing = bindings_.find(organizationId, instanceId);
  if (!existing && existing.error().code != ErrorCode::NotFound) return existing.error();
  const std::set<std::string> secretNames = secretFields(chosen->manifest().configSchemaJson);
  if (existing) {
    auto previous = fullConfig(*existing);
    if (previous) keepStoredSecrets(*config, *previous, secretNames);
  }
  const std::string full = stringify(config);

  // First the plugin's declared schema, checked by the host...
  if (auto matches = checkDeclaredSchema(*chosen, input.pluginId, full); !matches) return matches.error();
  // ...then the plugin judges its own configuration.
  if (auto accepted = checkPluginVerdict(*chosen, input.pluginId, full); !accepted) return accepted.error();

  PluginBinding binding;
  binding.instanceId = instanceId;
  binding.organizationId = organizationId;
  binding.pluginId = input.pluginId;
  binding.kind = chosen->manifest().kind;
  binding.versionRange = input.versionRange;
  binding.enabled = input.enabled;
  binding.baseUrlOverride = input.baseUrlOverride;
  if (auto sealed = sealConfig(config, secretNames, secrets_, binding); !sealed) return sealed.error();
  if (auto probed = probeInstance(*chosen, organizationId, instanceId, input, full); !probed) return probed.error();
  std::lock_guard change(changeMutex_);
  auto stored = bindings_.save(binding, input.expectedRevision, now);
  if (!stored) return stored.error();
  const Status activated = instances_.activate(*stored, full);
  if (!activated) {
    logging::warn(
        "plugin instance saved but not active",
        {{"organization_id", organizationId}, {"instance_id", instanceId}, {"reason", activated.error().message}});
  }
  return view(*stored);
}

Status PluginBindingService::remove(const std::string& organizationId, const std::string& instanceId) {
  std::lock_guard change(changeMutex_);
  const Status removed = bindings_.remove(organizationId, instanceId);
  if (!removed) return removed;
  instances_.deactivate(organizationId, instanceId);
  return Status::ok();
}

int PluginBindingService::syncFromStorage() {
  std::lock_guard change(changeMutex_);
  auto all = bindings_.listAll();
  if (!all) {
    logging::warn("plugin bindings not synchronised", {{"reason", all.error().message}});
    return 0;
  }
  auto live = instances_.revisions();
  int changed = 0;
  for (const auto& binding : *all) {
    const auto key = std::make_pair(binding.organizationId, binding.instanceId);
    const auto found = live.find(key);
    const bool current = found != live.end() && found->second == binding.revision;
    if (found != live.end()) live.erase(found);
    if (current) continue;
    Result<std::string> config = Error::internal("unreadable");
    try {
      config = fullConfig(binding);
    } catch (const std::exception& e) {
      config = Error::internal(e.what());
    }
    if (!config) {
      logging::warn("plugin binding not synchronised", {{"organization_id", binding.organizationId},
                                                        {"instance_id", binding.instanceId},
                                                        {"reason", config.error().message}});
      continue;
    }
    // A refusal is recorded in the instance's status (GET .../plugins/{id}) as well.
    if (auto activated = instances_.activate(binding, *config); !activated) {
      logging::warn("plugin binding not activated", {{"organization_id", binding.organizationId},
                                                     {"instance_id", binding.instanceId},
                                                     {"reason", activated.error().message}});
    }
    ++changed;
  }
  for (const auto& [key, revision] : live) {  // gone from the database
    instances_.deactivate(key.first, key.second);
    ++changed;
  }
  if (changed > 0) logging::info("plugin bindings synchronised from the database", {{"changed", changed}});
  return changed;
}

int PluginBindingService::activateAll() {
  auto all = bindings_.listAll();
  if (!all) {
    logging::error("cannot read plugin bindings", {{"reason", all.error().message}});
    return 0;
  }
  int active = 0;
  for (const auto& binding : *all) {
    Result<std::string> config = Error::internal("unreadable");
    try {
      config = fullConfig(binding);
    } catch (const std::exception& e) {
      config = Error::internal(e.what());  // one bad row must not stop start-up for every tenant
    }
    if (!config) {
      logging::error("plugin binding not activated", {{"organization_id", binding.organizationId},
                                                      {"instance_id", binding.instanceId},
                                                      {"reason", config.error().message}});
      continue;
    }
    if (instances_.activate(binding, *config) && binding.enabled) ++active;
  }
  return active;
}

}  // namespace ordersvc::plugins
