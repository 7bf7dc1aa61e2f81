#include "platform/config/settings.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <stdexcept>

#include "platform/config/setting_spec.h"
#include "platform/config/url_check.h"

namespace ordersvc::config {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

bool parseInteger(std::string_view text, long long& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

std::optional<bool> parseBoolean(std::string_view text) {
  const std::string t = lower(text);
  if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
  if (t == "false" || t == "0" || t == "no" || t == "off") return false;
  return std::nullopt;
}

bool isDecimalAmount(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  return digits(whole) && (dot == std::string_view::npos || digits(fraction));
}

// Returns an empty string when `value` is valid for `spec`, else why it is not.
std::string checkValue(const SettingSpec& spec, std::string& value) {
  if (value.empty()) return {};  // "not set" is valid for every key; defaults fill the required ones
  switch (spec.type) {
    case SettingType::String:
      return {};
    case SettingType::Integer: {
      long long number = 0;
      if (!parseInteger(value, number)) return "is not an integer";
      if (number < spec.minimum || number > spec.maximum) {
        return "is out of range [" + std::to_string(spec.minimum) + ", " + std::to_string(spec.maximum) + "]";
      }
      return {};
    }
    case SettingType::Boolean: {
      const auto parsed = parseBoolean(value);
      if (!parsed) return "is not a boolean (true/false)";
      value = *parsed ? "true" : "false";
      return {};
    }
    case SettingType::Decimal:
      return isDecimalAmount(value) ? std::string{} : "is not a non-negative decimal amount such as 10.50";
    case SettingType::Choice: {
      const std::string v = lower(value);
      for (std::string_view choice : spec.choices) {
        if (v == choice) {
          value = v;
          return {};
        }
      }
      std::string allowed;
      for (std::string_view choice : spec.choices) allowed += (allowed.empty() ? "" : ", ") + std::string(choice);
      return "is not one of: " + allowed;
    }
    case SettingType::Url:
      return checkUrl(value, spec.choices);
  }
  return {};
}

}  // namespace

Result<Settings> Settings::resolve(const std::vector<SettingLayer>& layers) {
  Settings settings;
  for (const SettingSpec& spec : settingCatalog()) {
    settings.entries_[std::string(spec.key)] = Entry{std::string(spec.defaultValue), "default"};
  }
  for (const SettingLayer& layer : layers) {
    for (const auto& [key, raw] : layer.values) {
      const SettingSpec* spec = findSetting(key);
      if (spec == nullptr) {
        if (layer.rejectUnknownKeys) {
          return Error::configuration("unknown configuration key " + key + " in " + layer.name);
        }
        continue;
      }
      std::string value = trim(raw);
      const std::string problem = checkValue(*spec, value);
      if (!problem.empty()) {
        const std::string shown = spec->secret ? std::string("<secret>") : "'" + redactUrl(raw) + "'";
        return Error::configuration("invalid configuration: " + key + "=" + shown + " " + problem + " (from " +
                                    layer.name + ")");
      }
      settings.entries_[key] = Entry{value, layer.name};
    }
  }
  return settings;
}

const Settings::Entry& Settings::entry(std::string_view key) const {
  const auto it = entries_.find(key);
  if (it == entries_.end()) throw std::logic_error("unknown setting " + std::string(key));
  return it->second;
}

const std::string& Settings::get(std::string_view key) const {
  return entry(key).value;
}

const std::string& Settings::sourceOf(std::string_view key) const {
  return entry(key).source;
}

long long Settings::getInt(std::string_view key) const {
  long long number = 0;
  if (!parseInteger(get(key), number)) throw std::logic_error("setting " + std::string(key) + " is not an integer");
  return number;
}

bool Settings::getBool(std::string_view key) const {
  return parseBoolean(get(key)).value_or(false);
}

std::string Settings::redacted(std::string_view key) const {
  const SettingSpec* spec = findSetting(key);
  const std::string& value = get(key);
  if (value.empty()) return value;
  if (spec != nullptr && spec->secret) return "********";
  if (spec != nullptr && spec->type == SettingType::Url) return redactUrl(value);
  return value;
}

std::string redactUrl(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto authorityStart = scheme + 3;
  const auto authorityEnd = url.find_first_of("/?#", authorityStart);
  const std::string_view authority = url.substr(authorityStart, authorityEnd - authorityStart);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  const auto colon = authority.find(':');
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  std::string out(url.substr(0, authorityStart + colon + 1));
  out += "********";
  out += url.substr(authorityStart + at);
  return out;
}

}  // namespace ordersvc::config
