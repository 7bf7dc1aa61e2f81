#pragma once

#include <string_view>
#include <vector>

namespace ordersvc::config {

// How a setting's text is checked when the configuration is resolved.
enum class SettingType {
  String,
  Integer,  // decimal integer within [minimum, maximum]
  Boolean,  // true/false/1/0/yes/no/on/off
  Decimal,  // non-negative decimal amount such as "10.50" (money in major units)
  Url,      // absolute URL whose scheme is one of `choices`
  Choice,   // one of `choices`, case-insensitive
};

// One configuration key. The same name is used in configuration files and as the
// environment variable, so there is a single name to document and search for.
struct SettingSpec {
  std::string_view key;
  std::string_view group;
  SettingType type;
  std::string_view defaultValue;  // empty means "not set"
  std::string_view description;
  bool secret = false;  // redacted in --print-config and logs
  long long minimum = 0;
  long long maximum = 0;
  std::vector<std::string_view> choices = {};
};

// Every key the service understands, in the order --help lists them.
const std::vector<SettingSpec>& settingCatalog();

// The spec for `key`, or nullptr when the key is unknown.
const SettingSpec* findSetting(std::string_view key);

}  // namespace ordersvc::config
