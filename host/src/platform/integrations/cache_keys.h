#pragma once

#include <string>

namespace ordersvc::services {

// Keys of the shared cache. The API fills them on reads; the use cases erase them after
// every committed change, so a cached cart or order is never one a change left behind
// (beyond the race of a read that started before the change: bounded by the TTL).
inline std::string cartCacheKey(const std::string& org, const std::string& cartId) {
  return "cart:" + org + ":" + cartId;
}
inline std::string orderCacheKey(const std::string& org, const std::string& orderId) {
  return "order:" + org + ":" + orderId;
}

}  // namespace ordersvc::services
