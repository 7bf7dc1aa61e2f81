#include "carriers/local/tracking_numbers.h"

#include <cinttypes>
#include <cstdio>

#include "common/stable_hash.h"

namespace ordersvc::plugins::local_carrier {

namespace {

constexpr std::string_view kCounterKey = "tracking_counter";
// Longer than any retry window of the host, short enough that the store does not grow forever.
constexpr int64_t kRememberSeconds = 90LL * 24 * 3600;

struct Found {
  bool found = false;
  bool failed = false;
  std::string value;
};

// Called by the host from inside kv->get; must not throw back into it.
void OSP_CC onFound(void* user, osp_bytes value, int64_t) noexcept {
  auto* found = static_cast<Found*>(user);
  try {
    found->value.assign(reinterpret_cast<const char*>(value.ptr), value.len);
    found->found = true;
  } catch (...) {
    found->failed = true;
  }
}

osp_str str(std::string_view s) {
  return osp_str{s.data(), s.size()};
}

osp::sdk::Result kvFailure(osp_status status, std::string_view step) {
  const osp_status reported = (status == OSP_E_DEADLINE || status == OSP_E_CANCELLED) ? status : OSP_E_TRANSIENT;
  return osp::sdk::Result::error(
      reported, "kv.failed",
      "the host's key/value service failed during " + std::string(step) + "; no shipment was booked");
}

// Host limit on keys is 200 bytes; long idempotency keys are hashed.
std::string memoryKey(std::string_view basis) {
  if (basis.size() <= 150) return "shipment/" + std::string(basis);
  return "shipment/#" + common::hex16(common::fnv1a64(basis));
}

osp::sdk::Result fromCounter(const osp::sdk::Call& call, const osp_kv_v1& kv, std::string_view basis,
                             std::string* trackingNumber) {
  const osp_host* host = call.host();
  const osp_call_ctx* ctx = call.context();
  const std::string key = memoryKey(basis);

  Found earlier;
  osp_status status = kv.get(host, ctx, str(key), &onFound, &earlier);
  if (status != OSP_OK || earlier.failed) return kvFailure(status, "get");
  if (earlier.found) {
    *trackingNumber = earlier.value;
    return osp::sdk::Result::ok({});
  }

  int64_t next = 0;
  status = kv.increment(host, ctx, str(kCounterKey), 1, &next);
  if (status != OSP_OK) return kvFailure(status, "increment");
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "LOC-%08" PRId64, next);
  const std::string number = buffer;

  int swapped = 0;
  const osp_bytes value{reinterpret_cast<const uint8_t*>(number.data()), number.size()};
  status = kv.compare_and_set(host, ctx, str(key), 0, value, kRememberSeconds, &swapped);
  if (status != OSP_OK) return kvFailure(status, "compare_and_set");
  if (swapped != 0) {
    *trackingNumber = number;
    return osp::sdk::Result::ok({});
  }
  // A concurrent retry remembered its number first: use that one.
  Found winner;
  status = kv.get(host, ctx, str(key), &onFound, &winner);
  if (status != OSP_OK || winner.failed || !winner.found) return kvFailure(status, "get after a lost race");
  *trackingNumber = winner.value;
  return osp::sdk::Result::ok({});
}

}  // namespace

osp::sdk::Result allocateTrackingNumber(const osp::sdk::Call& call, std::string_view basis,
                                        std::string* trackingNumber) {
  const auto* kv = call.service<osp_kv_v1>(OSP_SERVICE_KV_V1);
  const bool usable = kv != nullptr && call.context() != nullptr && OSP_HAS_FIELD(kv, osp_kv_v1, compare_and_set) &&
                      kv->get != nullptr && kv->increment != nullptr && kv->compare_and_set != nullptr;
  if (usable) return fromCounter(call, *kv, basis, trackingNumber);

  // The organization is part of the hash so two tenants using the same key do not share
  // a number.
  const uint64_t hash = common::fnv1a64(basis, common::fnv1a64(std::string(call.organizationId()) + '\0'));
  *trackingNumber = "LOC-" + common::hex16(hash);
  return osp::sdk::Result::ok({});
}

}  // namespace ordersvc::plugins::local_carrier
