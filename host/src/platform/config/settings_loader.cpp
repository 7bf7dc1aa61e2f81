#include "platform/config/settings_loader.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include "platform/config/setting_spec.h"

extern char** environ;

namespace ordersvc::config {

std::optional<std::string> findDefaultConfigFile(const std::string& executablePath) {
  if (Poco::File("config/ordersvc.properties").exists()) return std::string("config/ordersvc.properties");
  Poco::Path system(executablePath);
  system.makeAbsolute().makeParent().popDirectory();  // <prefix>/bin/ordersvc -> <prefix>/
  if (system.depth() > 0) system.popDirectory();      // /usr/ -> /
  system.pushDirectory("etc");
  system.pushDirectory("ordersvc");
  system.setFileName("ordersvc.properties");
  if (Poco::File(system).exists()) return system.toString();
  return std::nullopt;
}

Result<SettingLayer> readPropertiesFile(const std::string& path) {
  SettingLayer layer{"file " + path, {}, true};
  try {
    if (!Poco::File(path).exists()) {
      return Error::configuration("configuration file " + path + " does not exist");
    }
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(new Poco::Util::PropertyFileConfiguration(path));
    Poco::Util::AbstractConfiguration::Keys keys;
    file->keys(keys);
    for (const std::string& key : keys) {
      layer.values[key] = file->getRawString(key);
    }
  } catch (const Poco::Exception& e) {
    return Error::configuration("cannot read configuration file " + path + ": " + e.displayText());
  }
  return layer;
}

namespace {

SettingLayer readEnvironment() {
  SettingLayer layer{"environment", {}, false};
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto eq = text.find('=');
    if (eq == std::string::npos) continue;
    std::string key = text.substr(0, eq);
    if (findSetting(key) != nullptr) layer.values[key] = text.substr(eq + 1);
  }
  return layer;
}

}  // namespace

Result<Settings> loadSettings(const SettingSources& sources) {
  std::vector<SettingLayer> layers;
  for (const auto& path : {sources.defaultFile, sources.overrideFile}) {
    if (!path) continue;
    auto layer = readPropertiesFile(*path);
    if (!layer) return layer.error();
    layers.push_back(std::move(layer.value()));
  }
  if (sources.readEnvironment) layers.push_back(readEnvironment());
  return Settings::resolve(layers);
}

}  // namespace ordersvc::config
