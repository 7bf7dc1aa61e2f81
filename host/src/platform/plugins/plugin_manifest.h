#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.h"
#include "platform/plugins/semver.h"

namespace ordersvc::plugins {

// plugin.json, read beside each library so the host can list, filter and verify a
// plugin without running any of its code.
struct PluginManifest {
  std::string id;
  std::string name;
  std::string kind;  // payment, carrier, tax, einvoice
  SemVer version;
  int abiMajor = 0;
  int abiMinMinor = 0;  // lowest host ABI minor the plugin works with
  std::string library;  // file name beside plugin.json
  std::string sha256;   // lower-case hex of the library
  std::string vendor;
  std::string description;
  std::vector<std::string> operations;   // "payment.sale", ...
  std::vector<std::string> egressHosts;  // hosts the plugin may reach through osp.http/1
  std::string configSchemaJson;          // the instance configuration's JSON Schema
  std::string signature;                 // optional: base64 Ed25519 over the library bytes

  // Parses and checks the manifest text. Errors name the field.
  static Result<PluginManifest> parse(const std::string& json);
};

// Lower-case hex sha256 of a file. Errors: NotFound, Internal (unreadable).
Result<std::string> sha256OfFile(const std::string& path);
std::string sha256OfBytes(std::string_view bytes);

// The whole file, for verifying and loading one and the same copy of a library.
// Errors: NotFound, InvalidArgument when larger than `maxBytes`.
Result<std::string> readLibraryFile(const std::string& path, std::size_t maxBytes = 512u << 20);

}  // namespace ordersvc::plugins
