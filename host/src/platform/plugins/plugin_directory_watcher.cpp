#include "platform/plugins/plugin_directory_watcher.h"

#include <algorithm>

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>

#include "platform/logging/log.h"

namespace ordersvc::plugins {

namespace {

void listDirectory(const std::string& path, int depth, std::vector<std::string>& out) {
  try {
    if (!Poco::File(path).exists()) return;
    for (Poco::DirectoryIterator it(path), end; it != end; ++it) {
      const std::string child = it.path().toString();
      if (it->isDirectory()) {
        out.push_back("d " + child);
        if (depth < 2) listDirectory(child, depth + 1, out);
      } else if (depth == 2) {
        // Files inside <id>/<version>/: their size and time change when a copy lands.
        out.push_back("f " + child + " " + std::to_string(it->getSize()) + " " +
                      std::to_string(it->getLastModified().epochMicroseconds()));
      }
    }
  } catch (const Poco::Exception&) {
    // A directory vanishing mid-scan just changes the fingerprint next time.
  }
}

}  // namespace

PluginDirectoryWatcher::PluginDirectoryWatcher(std::vector<std::string> directories, std::chrono::milliseconds interval,
                                               std::function<void()> onChange)
    : directories_(std::move(directories)), interval_(interval), onChange_(std::move(onChange)) {}

PluginDirectoryWatcher::~PluginDirectoryWatcher() {
  stop();
}

std::string PluginDirectoryWatcher::fingerprint() const {
  std::vector<std::string> entries;
  for (const auto& root : directories_) listDirectory(root, 0, entries);
  std::sort(entries.begin(), entries.end());
  std::string out;
  for (const auto& entry : entries) out += entry + "\n";
  return out;
}

void PluginDirectoryWatcher::start() {
  thread_ = std::thread([this] { run(); });
}

void PluginDirectoryWatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PluginDirectoryWatcher::run() {
  std::string last = fingerprint();
  std::string pending;  // a change seen once; acted on when it holds still for one interval
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    const std::string now = fingerprint();
    if (now != last) {
      if (now == pending) {
        // Stable for a whole interval: a copy in progress has finished.
        logging::info("plugins directory changed; reloading");
        try {
          onChange_();
        } catch (const std::exception& e) {
          // An exception leaving this thread would terminate the service.
          logging::error("plugin reload after a directory change failed", {{"reason", e.what()}});
        }
        last = now;
        pending.clear();
      } else {
        pending = now;
      }
    } else {
      pending.clear();
    }
    lock.lock();
  }
}

}  // namespace ordersvc::plugins
