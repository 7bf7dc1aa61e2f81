#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.h"

namespace ordersvc::config {

// One source of configuration values, e.g. a file or the environment.
struct SettingLayer {
  std::string name;                           // "default", "file:/etc/x", "env"
  std::map<std::string, std::string> values;  // key -> raw text
  bool rejectUnknownKeys = true;              // files: a typo is an error; env: ignored
};

// The effective configuration: every key of the catalogue with its value and the
// layer it came from. Built only through resolve(), which validates every value, so
// the typed getters never fail on a known key.
//
// Thread-safety: immutable after construction; safe to read from any thread.
class Settings {
 public:
  struct Entry {
    std::string value;
    std::string source;
  };

  // Applies `layers` in order over the built-in defaults (later wins) and validates
  // every value. Errors name the key, the bad value (unless secret) and the layer.
  static Result<Settings> resolve(const std::vector<SettingLayer>& layers);

  const std::string& get(std::string_view key) const;
  long long getInt(std::string_view key) const;
  bool getBool(std::string_view key) const;
  bool isSet(std::string_view key) const { return !get(key).empty(); }
  const std::string& sourceOf(std::string_view key) const;

  // The value as it may be shown: secrets become "********", passwords inside URLs
  // are masked.
  std::string redacted(std::string_view key) const;

 private:
  const Entry& entry(std::string_view key) const;
  std::map<std::string, Entry, std::less<>> entries_;
};

// Masks the password of a URL's userinfo ("postgresql://u:secret@h/db" ->
// "postgresql://u:********@h/db"). Text without userinfo is returned unchanged.
std::string redactUrl(std::string_view url);

}  // namespace ordersvc::config
