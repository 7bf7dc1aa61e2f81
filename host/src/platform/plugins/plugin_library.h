#pragma once

#include <memory>
#include <string>

#include "kernel/result.h"
#include "osp/osp_entry.h"
#include "platform/plugins/plugin_host_services.h"
#include "platform/plugins/plugin_manifest.h"

namespace ordersvc::plugins {

// One loaded and initialised plugin library (one id@version), mapped RTLD_LOCAL from
// its own directory so several versions of one plugin live side by side.
//
// Lifetime: instances hold a shared_ptr to their library, so the library is deinit-ed
// only after its last instance is destroyed. It is unmapped only when the plugin
// declared OSP_FLAG_UNLOAD_SAFE; otherwise the mapping is kept for the life of the
// process (threads or thread-local destructors of the plugin may still run code in it).
//
// Thread-safety: interface() and accessors from any thread; load() and destruction on
// the plugin-control thread.
class PluginLibrary {
 public:
  // Loads the library whose content is `bytes` (read once by the caller, which checked
  // its sha256 and signature on these very bytes): checks the ELF headers, copies the
  // bytes into a sealed memfd and dlopens that, so what runs is exactly what was
  // verified, and rewriting or replacing the file on disk later can neither crash nor
  // change the loaded image. Then checks the entry (magic, struct size, ABI major,
  // minimum host minor, build signature, id and version against the manifest),
  // negotiates the minor and calls init with host services. Each refusal is an
  // InvalidArgument (or Internal for init failure) whose message names both sides,
  // e.g. "plugin built for ABI major 2, host speaks ABI major 1".
  static Result<std::shared_ptr<PluginLibrary>> load(const std::string& directory, const PluginManifest& manifest,
                                                     const HostEnvironment& environment, const std::string& bytes);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const PluginManifest& manifest() const { return manifest_; }
  const std::string& directory() const { return directory_; }
  const osp_plugin_entry& entry() const { return *entry_; }
  uint32_t negotiatedMinor() const { return negotiatedMinor_; }
  bool unloadSafe() const { return (entry_->flags & OSP_FLAG_UNLOAD_SAFE) != 0; }
  const osp_host* hostTable() const { return services_->table(); }

  // The plugin's table for an interface id, or nullptr.
  const void* interface(const char* id) const;
  const osp_factory_v1* factory() const { return factory_; }

 private:
  struct Handle;
  PluginLibrary() = default;

  PluginManifest manifest_;
  std::string directory_;
  std::unique_ptr<Handle> handle_;
  const osp_plugin_entry* entry_ = nullptr;
  const osp_factory_v1* factory_ = nullptr;
  uint32_t negotiatedMinor_ = 0;
  std::unique_ptr<PluginHostServices> services_;
  bool initialised_ = false;
};

}  // namespace ordersvc::plugins
