// Tracking numbers of the local carrier: one per booked shipment, the same on every retry
// of one create_shipment.
//
// With the host's "osp.kv/1": "LOC-" and the organization's counter, zero-padded to eight
// digits ("LOC-00000042"). The number is remembered under the call's idempotency basis for
// 90 days, so a retry gets it back instead of a new one. Two racing retries may each take
// a counter value; the loser's value is skipped (gaps are harmless, duplicates are not).
//
// Without "osp.kv/1" (a host that does not offer it): "LOC-" and 16 hexadecimal digits of
// a hash of organization and basis. Retries still get the same number; numbers are not
// sequential. The two forms differ in length, so they never collide.
#pragma once

#include <string>
#include <string_view>

#include "osp/sdk/plugin.hpp"

namespace ordersvc::plugins::local_carrier {

// Writes the shipment's tracking number to `*trackingNumber`. `basis` identifies the
// logical operation (the idempotency key, or the shipment id without one).
// Returns an OK Result (empty json) on success; when the key/value service fails, its
// status (OSP_E_TRANSIENT, OSP_E_DEADLINE, OSP_E_CANCELLED; anything else becomes
// OSP_E_TRANSIENT) with code "kv.failed": nothing was booked, so a retry is safe.
// [call-scoped]
osp::sdk::Result allocateTrackingNumber(const osp::sdk::Call& call, std::string_view basis,
                                        std::string* trackingNumber);

}  // namespace ordersvc::plugins::local_carrier
