#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "platform/plugins/plugin_host_services.h"
#include "platform/plugins/plugin_library.h"
#include "platform/plugins/plugin_manifest.h"

namespace ordersvc::plugins {

// What the host knows of one <id>/<version> directory.
struct PluginRecord {
  enum class State { Loaded, Refused };
  std::string id;
  std::string version;
  std::string kind;
  std::string directory;
  State state = State::Refused;
  std::string reason;  // why it was refused; empty when loaded
  std::optional<PluginManifest> manifest;
  std::shared_ptr<PluginLibrary> library;  // set when loaded
};

// Which plugins may load: with `required`, only libraries whose plugin.json signature
// verifies against one of `publisherKeysPem`. A signature present while keys are
// configured is verified even when not required.
struct SignaturePolicy {
  bool required = false;
  std::vector<std::string> publisherKeysPem;
};

struct ReloadReport {
  std::vector<std::string> loaded;   // "id@version" newly loaded by this call
  std::vector<std::string> refused;  // "id@version: reason"
};

// Every plugin found under the plugins directories, keyed by id and version: loaded
// ones with their library, refused ones with the reason. Scanning reads plugin.json and
// checks the library's sha256 and the manifest's ABI range before running any plugin
// code; a refusal never stops the host.
//
// Thread-safety: reload() is serialised internally (one control thread at a time);
// list() and the find functions may run concurrently with it and see either the state
// before or after a reload, never a mix.
class PluginRegistry {
 public:
  PluginRegistry(std::vector<std::string> directories, HostEnvironment environment, SignaturePolicy signatures = {});

  // Rescans the directories, loading versions not seen before. Loaded versions stay
  // loaded; a version whose files changed in place is refused (install a new version).
  ReloadReport reload();

  std::vector<PluginRecord> list() const;
  std::shared_ptr<PluginLibrary> find(const std::string& id, const std::string& version) const;
  // Loaded versions of `id`, oldest first.
  std::vector<std::shared_ptr<PluginLibrary>> versionsOf(const std::string& id) const;

 private:
  using Key = std::pair<std::string, std::string>;  // id, version
  PluginRecord examine(const std::string& directory, const std::map<Key, PluginRecord>& current);

  std::vector<std::string> directories_;
  HostEnvironment environment_;
  SignaturePolicy signatures_;
  std::mutex reloadMutex_;
  mutable std::mutex stateMutex_;
  std::map<Key, PluginRecord> records_;  // guarded by stateMutex_
};

}  // namespace ordersvc::plugins
