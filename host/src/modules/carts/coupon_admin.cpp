#include "modules/carts/coupon_admin.h"

#include "modules/carts/coupon_store.h"

namespace ordersvc::services {

Result<std::vector<domain::Coupon>> CouponAdmin::list(const Actor& actor) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  return storage::coupon_store::list(*connection, actor.organizationId);
}

Result<domain::Coupon> CouponAdmin::put(const Actor& actor, domain::Coupon coupon) {
  if (auto valid = domain::normalizeCoupon(coupon); !valid) return valid.error();
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  storage::coupon_store::upsert(*connection, actor.organizationId, coupon, clock_());
  // Read back: the store keeps times_used, which the body does not set.
  auto stored = storage::coupon_store::find(*connection, actor.organizationId, coupon.code);
  if (!stored) return Error::internal("coupon " + coupon.code + " vanished after it was saved");
  return *stored;
}

Status CouponAdmin::remove(const Actor& actor, const std::string& code) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  if (!storage::coupon_store::remove(*connection, actor.organizationId, code)) {
    return Error::notFound("coupon " + code + " not found");
  }
  return Status::ok();
}

}  // namespace ordersvc::services
