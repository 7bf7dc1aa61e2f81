#include "modules/carts/coupon_store.h"

#include "platform/storage/sql_query.h"

namespace ordersvc::storage::coupon_store {

namespace {

constexpr const char* kColumns =
    "SELECT code, kind, percent_basis_points, amount_minor, currency, min_subtotal_minor, starts_at_ms, ends_at_ms, "
    "usage_limit, per_customer_limit, times_used, active FROM coupons ";

domain::Coupon read(const Poco::Data::RecordSet& r, std::size_t i) {
  domain::Coupon coupon;
  coupon.code = textAt(r, 0, i);
  coupon.kind = domain::parseCouponKind(textAt(r, 1, i)).value_or(domain::CouponKind::Percentage);
  coupon.percentBasisPoints = intAt(r, 2, i);
  coupon.amountMinor = intAt(r, 3, i);
  coupon.currency = textAt(r, 4, i);
  coupon.minSubtotalMinor = intAt(r, 5, i);
  coupon.startsAtMs = optionalIntAt(r, 6, i);
  coupon.endsAtMs = optionalIntAt(r, 7, i);
  coupon.usageLimit = optionalIntAt(r, 8, i);
  coupon.perCustomerLimit = optionalIntAt(r, 9, i);
  coupon.timesUsed = intAt(r, 10, i);
  coupon.active = intAt(r, 11, i) != 0;
  return coupon;
}

}  // namespace

std::optional<domain::Coupon> find(Connection& c, const std::string& org, const std::string& code) {
  auto rows = SqlQuery(c, std::string(kColumns) + "WHERE organization_id = ? AND code = ?").arg(org).arg(code).rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return read(rows, 0);
}

std::vector<domain::Coupon> list(Connection& c, const std::string& org) {
  auto rows = SqlQuery(c, std::string(kColumns) + "WHERE organization_id = ? ORDER BY code").arg(org).rows();
  std::vector<domain::Coupon> out;
  for (std::size_t i = 0; i < rows.rowCount(); ++i) out.push_back(read(rows, i));
  return out;
}

void upsert(Connection& c, const std::string& org, const domain::Coupon& k, int64_t nowMs) {
  const std::optional<std::string> currency =
      k.currency.empty() ? std::nullopt : std::optional<std::string>(k.currency);
  const std::size_t changed =
      SqlQuery(c,
               "UPDATE coupons SET kind = ?, percent_basis_points = ?, amount_minor = ?, currency = ?, "
               "min_subtotal_minor = ?, starts_at_ms = ?, ends_at_ms = ?, usage_limit = ?, per_customer_limit = ?, "
               "active = ?, updated_at_ms = ? WHERE organization_id = ? AND code = ?")
          .arg(std::string(domain::couponKindName(k.kind)))
          .arg(k.percentBasisPoints)
          .arg(k.amountMinor)
          .arg(currency)
          .arg(k.minSubtotalMinor)
          .arg(k.startsAtMs)
          .arg(k.endsAtMs)
          .arg(k.usageLimit)
          .arg(k.perCustomerLimit)
          .arg(k.active)
          .arg(nowMs)
          .arg(org)
          .arg(k.code)
          .exec();
  if (changed == 1) return;
  SqlQuery(c,
           "INSERT INTO coupons (organization_id, code, kind, percent_basis_points, amount_minor, currency, "
           "min_subtotal_minor, starts_at_ms, ends_at_ms, usage_limit, per_customer_limit, times_used, active, "
           "created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)")
      .arg(org)
      .arg(k.code)
      .arg(std::string(domain::couponKindName(k.kind)))
      .arg(k.percentBasisPoints)
      .arg(k.amountMinor)
      .arg(currency)
      .arg(k.minSubtotalMinor)
      .arg(k.startsAtMs)
      .arg(k.endsAtMs)
      .arg(k.usageLimit)
      .arg(k.perCustomerLimit)
      .arg(k.active)
      .arg(nowMs)
      .arg(nowMs)
      .exec();
}

bool remove(Connection& c, const std::string& org, const std::string& code) {
  return SqlQuery(c, "UPDATE coupons SET active = 0 WHERE organization_id = ? AND code = ?")
             .arg(org)
             .arg(code)
             .exec() == 1;
}

int64_t redemptionsBy(Connection& c, const std::string& org, const std::string& code, const std::string& customerId) {
  auto rows =
      SqlQuery(c, "SELECT COUNT(*) FROM coupon_redemptions WHERE organization_id = ? AND code = ? AND customer_id = ?")
          .arg(org)
          .arg(code)
          .arg(customerId)
          .rows();
  return intAt(rows, 0, 0);
}

bool redeem(Connection& c, const std::string& org, const std::string& code, const std::string& orderId,
            const std::optional<std::string>& customerId, int64_t nowMs) {
  const std::size_t counted =
      SqlQuery(c,
               "UPDATE coupons SET times_used = times_used + 1 WHERE organization_id = ? AND code = ? AND "
               "(usage_limit IS NULL OR times_used < usage_limit)")
          .arg(org)
          .arg(code)
          .exec();
  if (counted != 1) return false;
  SqlQuery(c,
           "INSERT INTO coupon_redemptions (organization_id, code, order_id, customer_id, created_at_ms) VALUES (?, ?, "
           "?, ?, ?)")
      .arg(org)
      .arg(code)
      .arg(orderId)
      .arg(customerId)
      .arg(nowMs)
      .exec();
  return true;
}

void release(Connection& c, const std::string& org, const std::string& code, const std::string& orderId) {
  const std::size_t removed =
      SqlQuery(c, "DELETE FROM coupon_redemptions WHERE organization_id = ? AND code = ? AND order_id = ?")
          .arg(org)
          .arg(code)
          .arg(orderId)
          .exec();
  if (removed == 1) {
    SqlQuery(c,
             "UPDATE coupons SET times_used = times_used - 1 WHERE organization_id = ? AND code = ? AND times_used > 0")
        .arg(org)
        .arg(code)
        .exec();
  }
}

}  // namespace ordersvc::storage::coupon_store
