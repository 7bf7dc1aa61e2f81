#include "platform/plugins/plugin_state_store.h"

#include <chrono>
#include <sstream>

#include <Poco/Data/RecordSet.h>

#include "platform/plugins/base64_text.h"
#include "platform/plugins/plugin_host_services.h"
#include "platform/storage/clock_text.h"
#include "platform/storage/sql_errors.h"

namespace ordersvc::plugins {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace {

// NULL expiry is stored as -1 so both backends bind a plain integer.
int64_t expiryFor(int64_t ttlSeconds, int64_t nowMs) {
  return ttlSeconds > 0 ? nowMs + ttlSeconds * 1000 : -1;
}

}  // namespace

Result<std::optional<PluginStateStore::Entry>> PluginStateStore::get(const std::string& organizationId,
                                                                     const std::string& pluginId,
                                                                     const std::string& key, int64_t nowMs) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    std::string org = organizationId, plugin = pluginId, k = key;
    int64_t at = nowMs;
    Poco::Data::Statement select(connection->session());
    select << connection->dialect().sql(
        "SELECT value, int_value, version FROM plugin_state WHERE organization_id = ? AND plugin_id = ? "
        "AND state_key = ? AND (expires_at_ms < 0 OR expires_at_ms > ?)"),
        use(org), use(plugin), use(k), use(at);
    select.execute();
    Poco::Data::RecordSet rows(select);
    if (rows.rowCount() == 0) return std::optional<Entry>{};
    Entry entry;
    entry.value = rows.value(0, 0).isEmpty() ? std::to_string(rows.value(1, 0).convert<int64_t>())
                                             : decodeBase64(rows.value(0, 0).convert<std::string>());
    entry.version = rows.value(2, 0).convert<int64_t>();
    return std::optional<Entry>(entry);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Status PluginStateStore::put(const std::string& organizationId, const std::string& pluginId, const std::string& key,
                             const std::string& value, int64_t ttlSeconds, int64_t nowMs) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    std::string org = organizationId, plugin = pluginId, k = key, encoded = encodeBase64(value),
                updated = storage::utcNowText();
    int64_t expires = expiryFor(ttlSeconds, nowMs);
    connection->session() << connection->dialect().sql(
        "INSERT INTO plugin_state (organization_id, plugin_id, state_key, value, int_value, "
        "version, expires_at_ms, updated_at) VALUES (?, ?, ?, ?, NULL, 1, ?, ?) "
        "ON CONFLICT (organization_id, plugin_id, state_key) DO UPDATE SET "
        "value = excluded.value, int_value = NULL, version = plugin_state.version + 1, "
        "expires_at_ms = excluded.expires_at_ms, updated_at = excluded.updated_at"),
        use(org), use(plugin), use(k), use(encoded), use(expires), use(updated), now;
    return Status::ok();
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Result<int64_t> PluginStateStore::increment(const std::string& organizationId, const std::string& pluginId,
                                            const std::string& key, int64_t delta, int64_t nowMs) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    std::string org = organizationId, plugin = pluginId, k = key, updated = storage::utcNowText();
    int64_t by = delta, at = nowMs, result = 0;
    // One statement: the database serialises concurrent increments of one key. An
    // expired counter starts again from zero.
    connection->session() << connection->dialect().sql(
        "INSERT INTO plugin_state (organization_id, plugin_id, state_key, value, int_value, "
        "version, expires_at_ms, updated_at) VALUES (?, ?, ?, NULL, ?, 1, -1, ?) "
        "ON CONFLICT (organization_id, plugin_id, state_key) DO UPDATE SET "
        "int_value = CASE WHEN plugin_state.expires_at_ms >= 0 AND plugin_state.expires_at_ms <= ? "
        "THEN excluded.int_value ELSE COALESCE(plugin_state.int_value, 0) + excluded.int_value END, "
        "value = NULL, version = plugin_state.version + 1, expires_at_ms = -1, "
        "updated_at = excluded.updated_at RETURNING int_value"),
        use(org), use(plugin), use(k), use(by), use(updated), use(at), into(result), now;
    return result;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Result<bool> PluginStateStore::compareAndSet(const std::string& organizationId, const std::string& pluginId,
                                             const std::string& key, int64_t expectedVersion, const std::string& value,
                                             int64_t ttlSeconds, int64_t nowMs) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    std::string org = organizationId, plugin = pluginId, k = key, encoded = encodeBase64(value),
                updated = storage::utcNowText();
    int64_t expires = expiryFor(ttlSeconds, nowMs), at = nowMs, expected = expectedVersion;
    Poco::Data::Statement statement(connection->session());
    if (expectedVersion == 0) {
      // Absent or expired: insert, or take over the expired row.
      statement << connection->dialect().sql(
          "INSERT INTO plugin_state (organization_id, plugin_id, state_key, value, int_value, version, "
          "expires_at_ms, updated_at) VALUES (?, ?, ?, ?, NULL, 1, ?, ?) "
          "ON CONFLICT (organization_id, plugin_id, state_key) DO UPDATE SET "
          "value = excluded.value, int_value = NULL, version = plugin_state.version + 1, "
          "expires_at_ms = excluded.expires_at_ms, updated_at = excluded.updated_at "
          "WHERE plugin_state.expires_at_ms >= 0 AND plugin_state.expires_at_ms <= ?"),
          use(org), use(plugin), use(k), use(encoded), use(expires), use(updated), use(at);
    } else {
      statement << connection->dialect().sql(
          "UPDATE plugin_state SET value = ?, int_value = NULL, version = version + 1, expires_at_ms = ?, "
          "updated_at = ? WHERE organization_id = ? AND plugin_id = ? AND state_key = ? AND version = ? "
          "AND (expires_at_ms < 0 OR expires_at_ms > ?)"),
          use(encoded), use(expires), use(updated), use(org), use(plugin), use(k), use(expected), use(at);
    }
    return statement.execute() == 1;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

Status PluginStateStore::remove(const std::string& organizationId, const std::string& pluginId,
                                const std::string& key) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    std::string org = organizationId, plugin = pluginId, k = key;
    connection->session() << connection->dialect().sql(
        "DELETE FROM plugin_state WHERE organization_id = ? AND plugin_id = ? AND state_key = ?"),
        use(org), use(plugin), use(k), now;
    return Status::ok();
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, *connection, "");
  }
}

namespace {

std::string text(osp_str s) {
  return s.ptr == nullptr ? std::string{} : std::string(s.ptr, s.len);
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Resolves the store and the scope of a call; OSP_E_INVALID_ARGUMENT when the call
// carries no organization or the key is unusable.
osp_status scope(const osp_host* host, const osp_call_ctx* ctx, osp_str key, PluginStateStore*& store,
                 std::string& organization, std::string& plugin) {
  const auto* services = PluginHostServices::from(host);
  if (services == nullptr || services->environment().state == nullptr) return OSP_E_UNSUPPORTED;
  // The tenant comes from the host's own call state, not from the context text a plugin
  // hands back (it could be stale or forged); a context the host did not make is refused.
  const auto* call = ctx != nullptr ? static_cast<const CallState*>(ctx->host_data) : nullptr;
  if (call == nullptr || call->organizationId.empty()) return OSP_E_INVALID_ARGUMENT;
  if (key.len == 0 || key.len > PluginStateStore::kMaxKeyBytes) return OSP_E_INVALID_ARGUMENT;
  store = services->environment().state;
  organization = call->organizationId;
  plugin = services->pluginId();
  return OSP_OK;
}

osp_status statusOf(const Error& error) {
  return error.code == ErrorCode::Unavailable ? OSP_E_TRANSIENT : OSP_E_INTERNAL;
}

osp_status OSP_CC kvGet(const osp_host* host, const osp_call_ctx* ctx, osp_str key, osp_kv_value_fn found,
                        void* user) noexcept {
  try {
    PluginStateStore* store = nullptr;
    std::string org, plugin;
    if (auto rc = scope(host, ctx, key, store, org, plugin); rc != OSP_OK) return rc;
    auto entry = store->get(org, plugin, text(key), nowMs());
    if (!entry) return statusOf(entry.error());
    if (*entry && found != nullptr) {
      const auto& e = **entry;
      found(user, osp_bytes{reinterpret_cast<const uint8_t*>(e.value.data()), e.value.size()}, e.version);
    }
    return OSP_OK;
  } catch (...) {
    return OSP_E_INTERNAL;
  }
}

osp_status OSP_CC kvPut(const osp_host* host, const osp_call_ctx* ctx, osp_str key, osp_bytes value,
                        int64_t ttl) noexcept {
  try {
    PluginStateStore* store = nullptr;
    std::string org, plugin;
    if (auto rc = scope(host, ctx, key, store, org, plugin); rc != OSP_OK) return rc;
    if (value.len > PluginStateStore::kMaxValueBytes) return OSP_E_INVALID_ARGUMENT;
    auto done = store->put(org, plugin, text(key), std::string(reinterpret_cast<const char*>(value.ptr), value.len),
                           ttl, nowMs());
    return done ? OSP_OK : statusOf(done.error());
  } catch (...) {
    return OSP_E_INTERNAL;
  }
}

osp_status OSP_CC kvIncrement(const osp_host* host, const osp_call_ctx* ctx, osp_str key, int64_t delta,
                              int64_t* result) noexcept {
  try {
    PluginStateStore* store = nullptr;
    std::string org, plugin;
    if (auto rc = scope(host, ctx, key, store, org, plugin); rc != OSP_OK) return rc;
    if (result == nullptr) return OSP_E_INVALID_ARGUMENT;
    auto value = store->increment(org, plugin, text(key), delta, nowMs());
    if (!value) return statusOf(value.error());
    *result = *value;
    return OSP_OK;
  } catch (...) {
    return OSP_E_INTERNAL;
  }
}

osp_status OSP_CC kvCompareAndSet(const osp_host* host, const osp_call_ctx* ctx, osp_str key, int64_t expected,
                                  osp_bytes value, int64_t ttl, int* swapped) noexcept {
  try {
    PluginStateStore* store = nullptr;
    std::string org, plugin;
    if (auto rc = scope(host, ctx, key, store, org, plugin); rc != OSP_OK) return rc;
    if (swapped == nullptr || value.len > PluginStateStore::kMaxValueBytes) return OSP_E_INVALID_ARGUMENT;
    auto done = store->compareAndSet(org, plugin, text(key), expected,
                                     std::string(reinterpret_cast<const char*>(value.ptr), value.len), ttl, nowMs());
    if (!done) return statusOf(done.error());
    *swapped = *done ? 1 : 0;
    return OSP_OK;
  } catch (...) {
    return OSP_E_INTERNAL;
  }
}

osp_status OSP_CC kvRemove(const osp_host* host, const osp_call_ctx* ctx, osp_str key) noexcept {
  try {
    PluginStateStore* store = nullptr;
    std::string org, plugin;
    if (auto rc = scope(host, ctx, key, store, org, plugin); rc != OSP_OK) return rc;
    auto done = store->remove(org, plugin, text(key));
    return done ? OSP_OK : statusOf(done.error());
  } catch (...) {
    return OSP_E_INTERNAL;
  }
}

const osp_kv_v1 kTable = {sizeof(osp_kv_v1), &kvGet, &kvPut, &kvIncrement, &kvCompareAndSet, &kvRemove};

}  // namespace

const osp_kv_v1* PluginStateStore::table() {
  return &kTable;
}

}  // namespace ordersvc::plugins
