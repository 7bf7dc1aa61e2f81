#pragma once

#include <string>
#include <vector>

#include "domain/actor.h"
#include "domain/coupon.h"
#include "kernel/clock.h"
#include "kernel/result.h"
#include "platform/storage/database.h"

namespace ordersvc::services {

// The organization's coupons as managers edit them (GET/PUT/DELETE /api/v1/admin/coupons).
// Thread-safety: safe from any thread (one pooled connection per call).
class CouponAdmin {
 public:
  CouponAdmin(storage::Database& database, Clock clock) : database_(database), clock_(std::move(clock)) {}

  Result<std::vector<domain::Coupon>> list(const Actor& actor);
  // Creates or replaces the coupon (after domain::normalizeCoupon). Returns it as stored,
  // with the uses counted so far. Errors: InvalidArgument from the coupon's rules.
  Result<domain::Coupon> put(const Actor& actor, domain::Coupon coupon);
  // Errors: NotFound.
  Status remove(const Actor& actor, const std::string& code);

 private:
  storage::Database& database_;
  Clock clock_;
};

}  // namespace ordersvc::services
