#include "platform/plugins/plugin_manifest.h"

#include <fstream>
#include <set>
#include <sstream>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

namespace ordersvc::plugins {

namespace {

Error invalid(const std::string& what) {
  return Error::invalidArgument("malformed plugin.json: " + what);
}

bool isPluginId(const std::string& id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

bool isHex64(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Result<PluginManifest> PluginManifest::parse(const std::string& json) {
  Poco::JSON::Object::Ptr root;
  try {
    root = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return invalid("not a JSON object (" + e.displayText() + ")");
  } catch (const std::exception& e) {
    return invalid("not a JSON object");
  }
  if (!root) return invalid("not a JSON object");
  PluginManifest m;
  auto text = [&root](const std::string& key, std::string& out, bool required) -> bool {
    if (!root->has(key)) return !required;
    const auto value = root->get(key);
    if (!value.isString()) return false;
    out = value.toString();
    return !required || !out.empty();
  };
  if (!text("id", m.id, true) || !isPluginId(m.id)) return invalid("\"id\" must be 1-100 characters of a-z 0-9 . _ -");
  if (!text("name", m.name, false)) return invalid("\"name\" must be a string");
  if (!text("kind", m.kind, true)) return invalid("\"kind\" is required");
  static const std::set<std::string> kinds = {"payment", "carrier", "tax", "einvoice"};
  if (kinds.count(m.kind) == 0) return invalid("\"kind\" must be payment, carrier, tax or einvoice, not " + m.kind);
  std::string version;
  if (!text("version", version, true)) return invalid("\"version\" is required");
  const auto parsed = SemVer::parse(version);
  if (!parsed) return invalid("\"version\" " + version + " is not a semantic version");
  m.version = *parsed;
  auto abi = root->getObject("abi");
  if (!abi || !abi->has("major")) return invalid("\"abi\": {\"major\", \"min_minor\"} is required");
  try {
    m.abiMajor = abi->getValue<int>("major");
    m.abiMinMinor = abi->has("min_minor") ? abi->getValue<int>("min_minor") : 0;
  } catch (const Poco::Exception&) {
    return invalid("\"abi.major\" and \"abi.min_minor\" must be integers");
  }
  if (!text("library", m.library, true) || m.library.find('/') != std::string::npos) {
    return invalid("\"library\" must be a file name beside plugin.json");
  }
  if (!text("sha256", m.sha256, true) || !isHex64(m.sha256))
    return invalid("\"sha256\" must be 64 lower-case hex digits");
  if (!text("vendor", m.vendor, false) || !text("description", m.description, false) ||
      !text("signature", m.signature, false)) {
    return invalid("\"vendor\", \"description\" and \"signature\" must be strings");
  }
  auto strings = [&root](const std::string& key, std::vector<std::string>& out) -> bool {
    if (!root->has(key)) return true;
    auto array = root->getArray(key);
    if (!array) return false;
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (!array->get(i).isString()) return false;
      out.push_back(array->get(i).toString());
    }
    return true;
  };
  if (!strings("operations", m.operations)) return invalid("\"operations\" must be an array of strings");
  if (!strings("egress_hosts", m.egressHosts)) return invalid("\"egress_hosts\" must be an array of strings");
  if (root->has("config_schema")) {
    auto schema = root->getObject("config_schema");
    if (!schema) return invalid("\"config_schema\" must be a JSON Schema object");
    std::ostringstream out;
    schema->stringify(out);
    m.configSchemaJson = out.str();
  } else {
    m.configSchemaJson = "{\"type\":\"object\"}";
  }
  return m;
}

Result<std::string> sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::notFound("cannot open " + path);
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  char buffer[65536];
  while (in) {
    in.read(buffer, sizeof buffer);
    if (in.gcount() > 0) sha.update(buffer, static_cast<unsigned>(in.gcount()));
  }
  if (in.bad()) return Error::internal("cannot read " + path);
  return Poco::DigestEngine::digestToHex(sha.digest());
}

}  // namespace ordersvc::plugins

namespace ordersvc::plugins {

std::string sha256OfBytes(std::string_view bytes) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(bytes.data(), static_cast<unsigned>(bytes.size()));
  return Poco::DigestEngine::digestToHex(sha.digest());
}

Result<std::string> readLibraryFile(const std::string& path, std::size_t maxBytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Error::notFound("cannot open " + path);
  const auto size = static_cast<std::size_t>(in.tellg());
  if (size > maxBytes) return Error::invalidArgument(path + " is larger than " + std::to_string(maxBytes) + " bytes");
  std::string bytes(size, '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) return Error::internal("cannot read " + path);
  return bytes;
}

}  // namespace ordersvc::plugins
