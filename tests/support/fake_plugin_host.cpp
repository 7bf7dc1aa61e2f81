#include "fake_plugin_host.h"

#include <cstring>

namespace ordersvc::testing {

namespace {

std::string text(osp_str s) {
  return s.ptr == nullptr ? std::string() : std::string(s.ptr, s.len);
}

constexpr char kHostName[] = "ordersvc-test";
constexpr char kHostVersion[] = "0.0.0-test";

}  // namespace

FakePluginHost::FakePluginHost() {
  host_.struct_size = sizeof(osp_host);
  host_.abi_major = OSP_ABI_MAJOR;
  host_.abi_minor = OSP_ABI_MINOR;
  host_.host_name = osp_str{kHostName, sizeof kHostName - 1};
  host_.host_version = osp_str{kHostVersion, sizeof kHostVersion - 1};
  host_.host_data = this;
  host_.log = &FakePluginHost::log;
  host_.now_unix_ms = &FakePluginHost::nowUnixMs;
  host_.is_expired = &FakePluginHost::isExpired;
  host_.get_service = &FakePluginHost::getService;

  kv_.struct_size = sizeof(osp_kv_v1);
  kv_.get = &FakePluginHost::kvGet;
  kv_.put = &FakePluginHost::kvPut;
  kv_.increment = &FakePluginHost::kvIncrement;
  kv_.compare_and_set = &FakePluginHost::kvCompareAndSet;
  kv_.remove = &FakePluginHost::kvRemove;
}

std::vector<FakePluginHost::LogLine> FakePluginHost::logLines() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}

bool FakePluginHost::logged(std::string_view needle) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const LogLine& line : log_) {
    if (line.message.find(needle) != std::string::npos) return true;
  }
  return false;
}

void FakePluginHost::setNowForTest(int64_t unixMs) {
  std::lock_guard<std::mutex> lock(mutex_);
  nowMs_ = unixMs;
}

void FakePluginHost::setKvAvailableForTest(bool available) {
  std::lock_guard<std::mutex> lock(mutex_);
  kvAvailable_ = available;
}

void FakePluginHost::failKvForTest(osp_status status) {
  std::lock_guard<std::mutex> lock(mutex_);
  kvFailure_ = status;
}

std::optional<std::string> FakePluginHost::kvValueForTest(std::string_view organizationId, std::string_view key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = store_.find(Key{std::string(organizationId), std::string(key)});
  if (it == store_.end()) return std::nullopt;
  return it->second.value;
}

int FakePluginHost::kvCallsForTest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return kvCalls_;
}

FakePluginHost& FakePluginHost::self(const osp_host* host) {
  return *static_cast<FakePluginHost*>(host->host_data);
}

FakePluginHost::Key FakePluginHost::keyOf(const osp_call_ctx* ctx, osp_str key) {
  return Key{ctx == nullptr ? std::string() : text(ctx->organization_id), text(key)};
}

FakePluginHost::Entry* FakePluginHost::liveEntry(const Key& key) {
  const auto it = store_.find(key);
  if (it == store_.end()) return nullptr;
  if (it->second.expiresAtMs != 0 && it->second.expiresAtMs <= nowMs_) {
    store_.erase(it);
    return nullptr;
  }
  return &it->second;
}

osp_status FakePluginHost::enterKvCall() {
  ++kvCalls_;
  return kvFailure_;
}

void OSP_CC FakePluginHost::log(const osp_host* host, const osp_call_ctx* ctx, osp_log_level level, osp_str message) {
  FakePluginHost& h = self(host);
  std::lock_guard<std::mutex> lock(h.mutex_);
  h.log_.push_back(LogLine{level, text(message), ctx == nullptr ? std::string() : text(ctx->organization_id)});
}

int64_t OSP_CC FakePluginHost::nowUnixMs(const osp_host* host) {
  FakePluginHost& h = self(host);
  std::lock_guard<std::mutex> lock(h.mutex_);
  return h.nowMs_;
}

int OSP_CC FakePluginHost::isExpired(const osp_host* host, const osp_call_ctx* ctx) {
  FakePluginHost& h = self(host);
  std::lock_guard<std::mutex> lock(h.mutex_);
  return ctx != nullptr && ctx->deadline_unix_ms != 0 && ctx->deadline_unix_ms <= h.nowMs_ ? 1 : 0;
}

const void* OSP_CC FakePluginHost::getService(const osp_host* host, const char* serviceId) {
  FakePluginHost& h = self(host);
  std::lock_guard<std::mutex> lock(h.mutex_);
  if (serviceId != nullptr && std::strcmp(serviceId, OSP_SERVICE_KV_V1) == 0 && h.kvAvailable_) return &h.kv_;
  return nullptr;
}

osp_status OSP_CC FakePluginHost::kvGet(const osp_host* host, const osp_call_ctx* ctx, osp_str key,
                                        osp_kv_value_fn found, void* user) {
  FakePluginHost& h = self(host);
  std::string value;
  int64_t version = 0;
  {
    std::lock_guard<std::mutex> lock(h.mutex_);
    if (const osp_status failure = h.enterKvCall(); failure != OSP_OK) return failure;
    const Entry* entry = h.liveEntry(keyOf(ctx, key));
    if (entry == nullptr) return OSP_OK;
    value = entry->value;
    version = entry->version;
  }
  // Outside the lock: the callback may call back into the host.
  if (found != nullptr) {
    found(user, osp_bytes{reinterpret_cast<const uint8_t*>(value.data()), value.size()}, version);
  }
  return OSP_OK;
}

osp_status OSP_CC FakePluginHost::kvPut(const osp_host* host, const osp_call_ctx* ctx, osp_str key, osp_bytes value,
                                        int64_t ttlSeconds) {
  FakePluginHost& h = self(host);
  std::lock_guard<std::mutex> lock(h.mutex_);
  if (const osp_status failure = h.enterKvCall(); failure != OSP_OK) return failure;
  h.store_[keyOf(ctx, key)] = Entry{std::string(reinterpret_cast<const char*>(value.ptr), value.len), h.nextVersion_++,
                                    ttlSeconds > 0 ? h.nowMs_ + ttlSeconds * 1000 : 0};
  return OSP_OK;
}

osp_status OSP_CC FakePluginHost::kvIncrement(const osp_host* host, const osp_call_ctx* ctx, osp_str key, int64_t delta,
                                              int64_t* result) {
  FakePluginHost& h = self(host);
  std::lock_guard<std::mutex> lock(h.mutex_);
  if (const osp_status failure = h.enterKvCall(); failure != OSP_OK) return failure;
  if (result == nullptr) return OSP_E_INVALID_ARGUMENT;
  const Key k = keyOf(ctx, key);
  Entry* entry = h.liveEntry(k);
  int64_t current = 0;
  if (entry != nullptr) {
    try {
      current = std::stoll(entry->value);
    } catch (...) {
      return OSP_E_INVALID_ARGUMENT;  // not an integer
    }
  }
  *result = current + delta;
  h.store_[k] = Entry{std::to_string(*result), h.nextVersion_++, 0};
  return OSP_OK;
}

osp_status OSP_CC FakePluginHost::kvCompareAndSet(const osp_host* host, const osp_call_ctx* ctx, osp_str key,
                                                  int64_t expectedVersion, osp_bytes value, int64_t ttlSeconds,
                                                  int* swapped) {
  FakePluginHost& h = self(host);
  std::lock_guard<std::mutex> lock(h.mutex_);
  if (const osp_status failure = h.enterKvCall(); failure != OSP_OK) return failure;
  if (swapped == nullptr) return OSP_E_INVALID_ARGUMENT;
  const Key k = keyOf(ctx, key);
  const Entry* entry = h.liveEntry(k);
  const int64_t currentVersion = entry == nullptr ? 0 : entry->version;
  if (currentVersion != expectedVersion) {
    *swapped = 0;
    return OSP_OK;
  }
  h.store_[k] = Entry{std::string(reinterpret_cast<const char*>(value.ptr), value.len), h.nextVersion_++,
                      ttlSeconds > 0 ? h.nowMs_ + ttlSeconds * 1000 : 0};
  *swapped = 1;
  return OSP_OK;
}

osp_status OSP_CC FakePluginHost::kvRemove(const osp_host* host, const osp_call_ctx* ctx, osp_str key) {
  FakePluginHost& h = self(host);
  std::lock_guard<std::mutex> lock(h.mutex_);
  if (const osp_status failure = h.enterKvCall(); failure != OSP_OK) return failure;
  h.store_.erase(keyOf(ctx, key));
  return OSP_OK;
}

}  // namespace ordersvc::testing
