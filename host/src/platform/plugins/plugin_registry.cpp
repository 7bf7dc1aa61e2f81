#include "platform/plugins/plugin_registry.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include "platform/logging/log.h"
#include "platform/plugins/plugin_signature.h"

namespace ordersvc::plugins {

namespace {

std::string readText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Subdirectories of `path`; unreadable entries and broken symlinks are skipped (a
// refusal must never stop the host, and Poco throws on both).
std::vector<std::string> subdirectories(const std::string& path) {
  std::vector<std::string> out;
  try {
    if (!Poco::File(path).exists() || !Poco::File(path).isDirectory()) return out;
    for (Poco::DirectoryIterator it(path), end; it != end; ++it) {
      try {
        if (it->isDirectory()) out.push_back(it.path().toString());
      } catch (const Poco::Exception& e) {
        logging::warn("plugins directory entry skipped", {{"path", it.path().toString()}, {"reason", e.displayText()}});
      }
    }
  } catch (const Poco::Exception& e) {
    logging::warn("plugins directory unreadable", {{"path", path}, {"reason", e.displayText()}});
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string lastComponent(const std::string& path) {
  Poco::Path p(path);
  p.makeDirectory();
  return p.depth() > 0 ? p.directory(p.depth() - 1) : std::string();
}

}  // namespace

PluginRegistry::PluginRegistry(std::vector<std::string> directories, HostEnvironment environment,
                               SignaturePolicy signatures)
    : directories_(std::move(directories)), environment_(std::move(environment)), signatures_(std::move(signatures)) {}

PluginRecord PluginRegistry::examine(const std::string& directory, const std::map<Key, PluginRecord>& current) {
  PluginRecord record;
  record.directory = directory;
  record.version = lastComponent(directory);
  record.id = lastComponent(Poco::Path(directory).parent().toString());
  const auto refuse = [&record](std::string why) {
    record.state = PluginRecord::State::Refused;
    record.reason = std::move(why);
    return record;
  };
  const std::string manifestPath = directory + "/plugin.json";
  if (!Poco::File(manifestPath).exists()) return refuse("no plugin.json in " + directory);
  auto manifest = PluginManifest::parse(readText(manifestPath));
  if (!manifest) return refuse(manifest.error().message);
  record.manifest = *manifest;
  record.kind = manifest->kind;
  if (manifest->id != record.id || manifest->version.toString() != record.version) {
    return refuse("plugin.json says " + manifest->id + "@" + manifest->version.toString() + " but it is installed as " +
                  record.id + "/" + record.version + " (expected <plugins_dir>/<id>/<version>/)");
  }
  // The ABI range is checked from the manifest first, so an incompatible library is
  // never even mapped.
  if (manifest->abiMajor != static_cast<int>(OSP_ABI_MAJOR)) {
    return refuse("ABI major mismatch: plugin.json declares ABI major " + std::to_string(manifest->abiMajor) +
                  ", host speaks ABI major " + std::to_string(OSP_ABI_MAJOR));
  }
  if (manifest->abiMinMinor > static_cast<int>(OSP_ABI_MINOR)) {
    return refuse("plugin needs a newer host: plugin.json requires ABI 1." + std::to_string(manifest->abiMinMinor) +
                  ", host speaks ABI 1." + std::to_string(OSP_ABI_MINOR));
  }
  const std::string libraryPath = directory + "/" + manifest->library;
  if (!Poco::File(libraryPath).exists()) return refuse("library " + manifest->library + " missing from " + directory);
  // Read once; the checksum, the signature and the loader all see these same bytes.
  auto bytes = readLibraryFile(libraryPath);
  if (!bytes) return refuse(bytes.error().message);
  const std::string digest = sha256OfBytes(*bytes);
  if (digest != manifest->sha256) {
    return refuse("checksum mismatch: " + manifest->library + " has sha256 " + digest + ", plugin.json expects " +
                  manifest->sha256);
  }
  if (signatures_.required && manifest->signature.empty()) {
    return refuse("unsigned: PLUGINS_REQUIRE_SIGNATURE is on and plugin.json has no signature");
  }
  if (!manifest->signature.empty() && !signatures_.publisherKeysPem.empty()) {
    const Status verified = verifyBytes(signatures_.publisherKeysPem, *bytes, manifest->signature);
    if (!verified) return refuse("signature mismatch: " + verified.error().message);
  } else if (signatures_.required) {
    return refuse("PLUGINS_REQUIRE_SIGNATURE is on but no publisher keys are configured (PLUGIN_PUBLISHER_KEYS)");
  }
  const Key key{record.id, record.version};
  if (const auto found = current.find(key);
      found != current.end() && found->second.state == PluginRecord::State::Loaded) {
    if (found->second.directory != directory) {
      return refuse("duplicate " + record.id + "@" + record.version + ": already loaded from " +
                    found->second.directory);
    }
    if (found->second.manifest && found->second.manifest->sha256 != manifest->sha256) {
      return refuse("changed in place: " + record.id + "@" + record.version +
                    " is loaded with a different library; install it as a new version");
    }
    return found->second;  // unchanged: keep serving
  }
  auto library = PluginLibrary::load(directory, *manifest, environment_, *bytes);
  if (!library) return refuse(library.error().message);
  record.library = *library;
  record.state = PluginRecord::State::Loaded;
  return record;
}

ReloadReport PluginRegistry::reload() {
  std::lock_guard reloadLock(reloadMutex_);
  std::map<Key, PluginRecord> current;
  {
    std::lock_guard lock(stateMutex_);
    current = records_;
  }
  std::map<Key, PluginRecord> next;
  // What counts as loaded while scanning: the previous state plus what this scan loaded,
  // so the same id@version in a second plugins directory is refused as a duplicate.
  std::map<Key, PluginRecord> known = current;
  ReloadReport report;
  for (const auto& root : directories_) {
    for (const auto& idDir : subdirectories(root)) {
      for (const auto& versionDir : subdirectories(idDir)) {
        PluginRecord record = examine(versionDir, known);
        const Key key{record.id, record.version};
        const std::string name = record.id + "@" + record.version;
        if (record.state == PluginRecord::State::Refused) {
          logging::warn("plugin refused", {{"plugin", record.id},
                                           {"version", record.version},
                                           {"directory", versionDir},
                                           {"reason", record.reason}});
          report.refused.push_back(name + ": " + record.reason);
          // A refusal never hides a loaded version: a duplicate leaves the original, and a
          // version changed in place keeps serving as loaded (instances may use it).
          if (next.count(key) == 0) {
            const auto loaded = current.find(key);
            next[key] = loaded != current.end() && loaded->second.state == PluginRecord::State::Loaded ? loaded->second
                                                                                                       : record;
          }
          continue;
        }
        const bool wasLoaded = current.count(key) != 0 && current.at(key).state == PluginRecord::State::Loaded;
        if (!wasLoaded) {
          logging::info("plugin loaded", {{"plugin", record.id},
                                          {"version", record.version},
                                          {"kind", record.kind},
                                          {"abi_minor", static_cast<long long>(record.library->negotiatedMinor())}});
          report.loaded.push_back(name);
        }
        known[key] = record;
        next[key] = record;
      }
    }
  }
  // A loaded version whose directory vanished stays loaded: instances may use it.
  for (const auto& [key, record] : current) {
    if (record.state == PluginRecord::State::Loaded && next.count(key) == 0) next[key] = record;
  }
  std::lock_guard lock(stateMutex_);
  records_ = std::move(next);
  return report;
}

std::vector<PluginRecord> PluginRegistry::list() const {
  std::lock_guard lock(stateMutex_);
  std::vector<PluginRecord> out;
  for (const auto& [key, record] : records_) out.push_back(record);
  return out;
}

std::shared_ptr<PluginLibrary> PluginRegistry::find(const std::string& id, const std::string& version) const {
  std::lock_guard lock(stateMutex_);
  const auto found = records_.find({id, version});
  return found == records_.end() ? nullptr : found->second.library;
}

std::vector<std::shared_ptr<PluginLibrary>> PluginRegistry::versionsOf(const std::string& id) const {
  std::lock_guard lock(stateMutex_);
  std::vector<std::shared_ptr<PluginLibrary>> out;
  for (const auto& [key, record] : records_) {
    if (key.first == id && record.library) out.push_back(record.library);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a->manifest().version < b->manifest().version; });
  return out;
}

}  // namespace ordersvc::plugins
