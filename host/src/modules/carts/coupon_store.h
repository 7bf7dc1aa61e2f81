#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/coupon.h"
#include "platform/storage/database.h"

namespace ordersvc::storage::coupon_store {

// An organization's coupons and their redemptions, on the caller's connection.
std::optional<domain::Coupon> find(Connection& c, const std::string& org, const std::string& code);
std::vector<domain::Coupon> list(Connection& c, const std::string& org);
void upsert(Connection& c, const std::string& org, const domain::Coupon& coupon, int64_t nowMs);
bool remove(Connection& c, const std::string& org, const std::string& code);
int64_t redemptionsBy(Connection& c, const std::string& org, const std::string& code, const std::string& customerId);
// Counts one use; false when the overall limit was reached meanwhile (the UPDATE's
// condition makes the check and the increment one atomic step).
bool redeem(Connection& c, const std::string& org, const std::string& code, const std::string& orderId,
            const std::optional<std::string>& customerId, int64_t nowMs);
// Gives a use back (the order was cancelled before it was paid).
void release(Connection& c, const std::string& org, const std::string& code, const std::string& orderId);

}  // namespace ordersvc::storage::coupon_store
