#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kernel/result.h"
#include "osp/osp_host.h"
#include "platform/storage/database.h"

namespace ordersvc::plugins {

// "osp.kv/1": small persistent state per (organization, plugin id) in the service
// database (table plugin_state), e.g. folio counters and cached OAuth tokens. Every
// operation is one statement, so two hosts sharing a PostgreSQL database never lose an
// increment or both win a compare-and-set.
//
// Thread-safety: any thread; each call borrows its own connection.
class PluginStateStore {
 public:
  struct Entry {
    std::string value;  // raw bytes
    int64_t version = 0;
  };

  explicit PluginStateStore(storage::Database& database) : database_(database) {}

  Result<std::optional<Entry>> get(const std::string& organizationId, const std::string& pluginId,
                                   const std::string& key, int64_t nowMs);
  Status put(const std::string& organizationId, const std::string& pluginId, const std::string& key,
             const std::string& value, int64_t ttlSeconds, int64_t nowMs);
  Result<int64_t> increment(const std::string& organizationId, const std::string& pluginId, const std::string& key,
                            int64_t delta, int64_t nowMs);
  // True when the value was replaced (its version was `expectedVersion`; 0 = absent).
  Result<bool> compareAndSet(const std::string& organizationId, const std::string& pluginId, const std::string& key,
                             int64_t expectedVersion, const std::string& value, int64_t ttlSeconds, int64_t nowMs);
  Status remove(const std::string& organizationId, const std::string& pluginId, const std::string& key);

  // The C table handed to plugins; it finds the store through the calling plugin's
  // osp_host and scopes every key to ctx->organization_id and the plugin's id.
  static const osp_kv_v1* table();

  static constexpr std::size_t kMaxKeyBytes = 200;
  static constexpr std::size_t kMaxValueBytes = 64 * 1024;

 private:
  storage::Database& database_;
};

}  // namespace ordersvc::plugins
