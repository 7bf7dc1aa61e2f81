#include "platform/plugins/plugin_library.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <vector>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>

#include "platform/logging/log.h"
#include "platform/plugins/elf_check.h"

namespace ordersvc::plugins {

struct PluginLibrary::Handle {
  boost::dll::shared_library library;
  // The memfd the library was loaded from. It stays open as long as the image is mapped:
  // glibc recognises loaded objects by path, and a closed descriptor's number (hence
  // "/proc/self/fd/N") would be reused for the next plugin, which dlopen would then
  // mistake for the one already loaded.
  int fd = -1;
};

namespace {

// Libraries that did not declare OSP_FLAG_UNLOAD_SAFE stay mapped until the process
// ends (PostgreSQL and OBS stopped unloading modules for the same reason).
std::mutex gRetainedMutex;
std::vector<boost::dll::shared_library>& retainedLibraries() {
  static auto* retained = new std::vector<boost::dll::shared_library>();  // never destroyed, on purpose
  return *retained;
}

Error refuse(const std::string& why) {
  return Error::invalidArgument(why);
}

std::string safeText(const char* text) {
  return text == nullptr ? std::string("(null)") : std::string(text);
}

// Copies the library's bytes into `fd` (a memfd) and seals it against any change.
Status writeSealed(int fd, const std::string& bytes, const std::string& path) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) return Error::internal("cannot copy " + path + " into memory");
    written += static_cast<std::size_t>(n);
  }
  ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  return Status::ok();
}

// Whether the plugin's entry is one this host can use and is the library plugin.json
// describes. Reads magic and size first: nothing else is trusted before they check out.
Status checkEntry(const osp_plugin_entry* entry, const PluginManifest& manifest) {
  char magicText[16];
  std::snprintf(magicText, sizeof magicText, "0x%08X", entry->magic);
  if (entry->magic != OSP_MAGIC) {
    return refuse(std::string("bad magic: plugin entry has ") + magicText + ", host expects 0x3150534F (\"OSP1\")");
  }
  if (entry->struct_size < offsetof(osp_plugin_entry, get_interface) + sizeof(entry->get_interface)) {
    return refuse("entry struct too small: plugin has " + std::to_string(entry->struct_size) + " bytes, host needs " +
                  std::to_string(sizeof(osp_plugin_entry)));
  }
  if (entry->abi_major != OSP_ABI_MAJOR) {
    return refuse("ABI major mismatch: plugin built for ABI major " + std::to_string(entry->abi_major) +
                  ", host speaks ABI major " + std::to_string(OSP_ABI_MAJOR));
  }
  if (entry->min_host_minor > OSP_ABI_MINOR) {
    return refuse("plugin needs a newer host: plugin requires ABI " + std::to_string(entry->abi_major) + "." +
                  std::to_string(entry->min_host_minor) + ", host speaks ABI " + std::to_string(OSP_ABI_MAJOR) + "." +
                  std::to_string(OSP_ABI_MINOR));
  }
  if (entry->build_signature == nullptr || std::strcmp(entry->build_signature, OSP_BUILD_SIGNATURE) != 0) {
    return refuse("build signature mismatch: plugin " + safeText(entry->build_signature) +
                  ", host " OSP_BUILD_SIGNATURE);
  }
  if (safeText(entry->id) != manifest.id || safeText(entry->version) != manifest.version.toString()) {
    return refuse("identity mismatch: library says " + safeText(entry->id) + "@" + safeText(entry->version) +
                  ", plugin.json says " + manifest.id + "@" + manifest.version.toString());
  }
  if (entry->negotiate == nullptr || entry->init == nullptr || entry->deinit == nullptr ||
      entry->get_interface == nullptr) {
    return refuse("entry of " + manifest.id + "@" + manifest.version.toString() +
                  " lacks negotiate/init/deinit/get_interface");
  }
  return Status::ok();
}

}  // namespace

Result<std::shared_ptr<PluginLibrary>> PluginLibrary::load(const std::string& directory, const PluginManifest& manifest,
                                                           const HostEnvironment& environment,
                                                           const std::string& bytes) {
  std::shared_ptr<PluginLibrary> plugin(new PluginLibrary());
  plugin->manifest_ = manifest;
  plugin->directory_ = directory;
  plugin->handle_ = std::make_unique<Handle>();
  const std::string path = directory + "/" + manifest.library;

  if (const Status elf = checkElfSharedObject(bytes); !elf) return refuse(elf.error().message);
  // A private, sealed copy: nobody can change it between verification and dlopen, and
  // writes to the file on disk never reach the mapped image.
  const std::string memfdName = "osp-" + manifest.id + "-" + manifest.version.toString();
  const int fd = ::memfd_create(memfdName.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return Error::internal("memfd_create failed for " + path);
  plugin->handle_->fd = fd;
  if (const Status copied = writeSealed(fd, bytes, path); !copied) return copied.error();
  const std::string fdPath = "/proc/self/fd/" + std::to_string(fd);
  std::error_code error;
  plugin->handle_->library.load(fdPath, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now, error);
  if (error || !plugin->handle_->library.is_loaded()) {
    const char* reason = dlerror();
    return refuse("cannot load " + path + ": " + (reason != nullptr ? std::string(reason) : error.message()));
  }
  if (!plugin->handle_->library.has(OSP_ENTRY_SYMBOL_V1)) {
    return refuse("missing symbol: " + path + " does not export " OSP_ENTRY_SYMBOL_V1 " (host ABI major " +
                  std::to_string(OSP_ABI_MAJOR) + ")");
  }
  auto entryFn = plugin->handle_->library.get<const osp_plugin_entry*()>(OSP_ENTRY_SYMBOL_V1);
  const osp_plugin_entry* entry = entryFn();
  if (entry == nullptr) return refuse(OSP_ENTRY_SYMBOL_V1 " returned no entry");

  if (const Status usable = checkEntry(entry, manifest); !usable) return usable.error();
  uint32_t minor = OSP_ABI_MINOR;
  const osp_status negotiated = entry->negotiate(&minor);
  if (negotiated != OSP_OK || minor > OSP_ABI_MINOR || minor < entry->min_host_minor) {
    return refuse("version negotiation failed: host offered ABI 1." + std::to_string(OSP_ABI_MINOR) +
                  ", plugin answered " +
                  (negotiated == OSP_OK ? "1." + std::to_string(minor) : "status " + std::to_string(negotiated)));
  }
  plugin->entry_ = entry;
  plugin->negotiatedMinor_ = minor;
  plugin->services_ = std::make_unique<PluginHostServices>(manifest.id, manifest.version.toString(), minor,
                                                           manifest.egressHosts, environment);
  const osp_status initialised = entry->init(plugin->services_->table(), directory.c_str());
  if (initialised != OSP_OK) {
    return Error::internal("init failed: " + manifest.id + "@" + manifest.version.toString() + " returned status " +
                           std::to_string(initialised) + " to host " + environment.hostVersion);
  }
  plugin->initialised_ = true;
  plugin->factory_ = static_cast<const osp_factory_v1*>(entry->get_interface(OSP_INTERFACE_FACTORY_V1));
  if (plugin->factory_ == nullptr || plugin->factory_->struct_size < sizeof(osp_factory_v1) ||
      plugin->factory_->create_instance == nullptr || plugin->factory_->destroy_instance == nullptr ||
      plugin->factory_->validate_config == nullptr || plugin->factory_->get_config_schema == nullptr) {
    return refuse(manifest.id + "@" + manifest.version.toString() + " has no usable " OSP_INTERFACE_FACTORY_V1);
  }
  return plugin;
}

PluginLibrary::~PluginLibrary() {
  if (initialised_ && entry_ != nullptr) entry_->deinit();
  if (!handle_) return;
  if (handle_->library.is_loaded() && entry_ != nullptr && !unloadSafe()) {
    // Stays mapped for the life of the process, and so does its descriptor (see Handle).
    std::lock_guard lock(gRetainedMutex);
    retainedLibraries().push_back(std::move(handle_->library));
    return;
  }
  handle_->library.unload();
  if (handle_->fd >= 0) ::close(handle_->fd);
}

const void* PluginLibrary::interface(const char* id) const {
  return entry_ ? entry_->get_interface(id) : nullptr;
}

}  // namespace ordersvc::plugins
