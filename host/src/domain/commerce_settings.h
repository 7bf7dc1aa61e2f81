#pragma once

#include <cstdint>
#include <string>

#include "kernel/clock.h"

namespace ordersvc::services {

// The business rules of the order core, read once from configuration.
struct CommerceSettings {
  int64_t reservationTtlMinutes = 15;       // ORDER_RESERVATION_TTL_MINUTES
  int64_t cartExpiryDays = 7;               // CART_EXPIRY_DAYS
  int64_t maxItemsPerOrder = 100;           // MAX_ITEMS_PER_ORDER
  std::string minOrderAmount = "0";         // MIN_ORDER_AMOUNT, major units of the order's currency
  std::string freeShippingThreshold = "0";  // FREE_SHIPPING_THRESHOLD, major units
  int paymentRetryAttempts = 3;             // PAYMENT_RETRY_ATTEMPTS
  int64_t paymentFailedTimeoutMinutes = 60;
  int64_t abandonedCartHours = 24;  // ABANDONED_CART_HOURS
};

// The kernel's clock, under the names the use cases have always used.
using ordersvc::Clock;
using ordersvc::systemNowMs;

}  // namespace ordersvc::services
