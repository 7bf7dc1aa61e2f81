#pragma once

#include <optional>
#include <string>

#include "kernel/result.h"
#include "platform/config/settings.h"

namespace ordersvc::config {

// Where the layers of configuration come from, lowest priority first:
// built-in defaults < the default file < the --config file < the environment.
struct SettingSources {
  std::optional<std::string> defaultFile;   // config/ordersvc.properties when present
  std::optional<std::string> overrideFile;  // --config FILE (must exist)
  bool readEnvironment = true;
};

// The default file: ./config/ordersvc.properties if it exists, else the system file of
// an installed binary, <exe>/../../etc/ordersvc/ordersvc.properties (/usr/bin/ordersvc ->
// /etc/ordersvc/ordersvc.properties) if it exists, else none. Tied to the executable's
// location so a build-tree binary never picks up a system-wide file.
std::optional<std::string> findDefaultConfigFile(const std::string& executablePath);

// Reads the files and the environment and resolves them into validated Settings.
// A missing --config file, an unreadable file or an invalid value is an Error that
// names the file or the key.
Result<Settings> loadSettings(const SettingSources& sources);

// Reads one properties file (KEY = value lines, # comments) into a layer.
Result<SettingLayer> readPropertiesFile(const std::string& path);

}  // namespace ordersvc::config
