#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ordersvc::plugins {

// Watches the plugins directories (PLUGINS_WATCH_SECONDS > 0) and calls `onChange`
// when a version directory or a plugin.json appears, disappears or changes, so a new
// version dropped in is loaded without an API call. It polls a cheap fingerprint
// (names and modification times, no hashing) rather than using inotify, which would
// need a watch per <id>/ directory and misses files copied in before the watch exists.
//
// Thread-safety: start() and stop() from the control thread; `onChange` runs on the
// watcher's own thread (callers serialise reloads themselves).
class PluginDirectoryWatcher {
 public:
  PluginDirectoryWatcher(std::vector<std::string> directories, std::chrono::milliseconds interval,
                         std::function<void()> onChange);
  ~PluginDirectoryWatcher();

  void start();
  void stop();

  // The fingerprint of the directories now (exposed for tests).
  std::string fingerprint() const;

 private:
  void run();

  std::vector<std::string> directories_;
  std::chrono::milliseconds interval_;
  std::function<void()> onChange_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace ordersvc::plugins
