#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "osp/osp.h"

namespace ordersvc::testing {

// An osp_host for tests that load real plugin libraries through the C ABI, without the
// service: it captures log lines, serves a settable clock and deadline checks, and offers
// an in-memory "osp.kv/1" (get, put, increment, compare_and_set, remove) scoped by
// organization as the real store is. Other services ("osp.http/1", "osp.metrics/1") are
// absent (get_service returns NULL), as a host may legitimately answer.
//
// Pass host() to osp_plugin_entry.init; the table points back at this object, so the
// FakePluginHost must outlive the plugin's matching deinit.
//
// Threading: every host callback and every public method may be called from any thread;
// one mutex guards the log, the store and the settings.
class FakePluginHost {
 public:
  struct LogLine {
    osp_log_level level;
    std::string message;
    std::string organizationId;  // "" when the plugin logged without a call context
  };

  FakePluginHost();
  FakePluginHost(const FakePluginHost&) = delete;
  FakePluginHost& operator=(const FakePluginHost&) = delete;

  // [host-owned: valid while this object lives]
  const osp_host* host() const { return &host_; }

  std::vector<LogLine> logLines() const;
  // True when some log line contains `needle`.
  bool logged(std::string_view needle) const;

  // The clock plugins read through now_unix_ms; fixed, so results are reproducible.
  void setNowForTest(int64_t unixMs);
  // Whether get_service offers "osp.kv/1" (default true).
  void setKvAvailableForTest(bool available);
  // Makes every later kv call return `status` without touching the store (OSP_OK undoes it).
  void failKvForTest(osp_status status);

  // The stored value of `key` for `organizationId`, for assertions.
  std::optional<std::string> kvValueForTest(std::string_view organizationId, std::string_view key) const;
  // Number of kv calls the plugins made.
  int kvCallsForTest() const;

 private:
  struct Entry {
    std::string value;
    int64_t version = 0;
    int64_t expiresAtMs = 0;  // 0: never
  };
  using Key = std::pair<std::string, std::string>;  // organization, key

  static FakePluginHost& self(const osp_host* host);
  static Key keyOf(const osp_call_ctx* ctx, osp_str key);
  // The live entry under `key`, or nullptr (expired entries are dropped). Requires mutex_.
  Entry* liveEntry(const Key& key);
  // The injected failure, counting the call. Requires mutex_.
  osp_status enterKvCall();

  static void OSP_CC log(const osp_host* host, const osp_call_ctx* ctx, osp_log_level level, osp_str message);
  static int64_t OSP_CC nowUnixMs(const osp_host* host);
  static int OSP_CC isExpired(const osp_host* host, const osp_call_ctx* ctx);
  static const void* OSP_CC getService(const osp_host* host, const char* serviceId);
  static osp_status OSP_CC kvGet(const osp_host* host, const osp_call_ctx* ctx, osp_str key, osp_kv_value_fn found,
                                 void* user);
  static osp_status OSP_CC kvPut(const osp_host* host, const osp_call_ctx* ctx, osp_str key, osp_bytes value,
                                 int64_t ttlSeconds);
  static osp_status OSP_CC kvIncrement(const osp_host* host, const osp_call_ctx* ctx, osp_str key, int64_t delta,
                                       int64_t* result);
  static osp_status OSP_CC kvCompareAndSet(const osp_host* host, const osp_call_ctx* ctx, osp_str key,
                                           int64_t expectedVersion, osp_bytes value, int64_t ttlSeconds, int* swapped);
  static osp_status OSP_CC kvRemove(const osp_host* host, const osp_call_ctx* ctx, osp_str key);

  osp_host host_{};
  osp_kv_v1 kv_{};

  mutable std::mutex mutex_;
  std::vector<LogLine> log_;       // guarded by mutex_
  std::map<Key, Entry> store_;     // guarded by mutex_
  int64_t nowMs_ = 1767225600000;  // 2026-01-01T00:00:00Z; guarded by mutex_
  int64_t nextVersion_ = 1;        // guarded by mutex_
  bool kvAvailable_ = true;        // guarded by mutex_
  osp_status kvFailure_ = OSP_OK;  // guarded by mutex_
  int kvCalls_ = 0;                // guarded by mutex_
};

}  // namespace ordersvc::testing
