#include "modules/carts/cart_jobs.h"

#include <Poco/JSON/Object.h>

#include "kernel/event_types.h"
#include "kernel/ids.h"
#include "kernel/json_util.h"
#include "modules/carts/cart_store.h"
#include "platform/integrations/cache_keys.h"
#include "platform/storage/outbox_store.h"
#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::services {

Result<int> CartJobs::markAbandoned(int batch) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    const int64_t now = clock_();
    storage::Transaction tx(c);
    int marked = 0;
    const auto claimed = storage::cart_store::claimIdle(c, now - settings_.abandonedCartHours * 3600 * 1000, batch);
    for (const auto& [org, id] : claimed) {
      auto record = storage::cart_store::find(c, org, id, false);
      if (!record) continue;
      const std::string token = newSecretToken();
      storage::cart_store::setRecoveryToken(c, org, id, hashToken(token), now);
      Poco::JSON::Object::Ptr data = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      data->set("cart_id", id);
      if (record->cart.customerId) data->set("customer_id", *record->cart.customerId);
      if (record->cart.email) data->set("email", *record->cart.email);
      int64_t units = 0;
      for (const auto& item : record->cart.items) units += item.quantity;
      data->set("items_count", units);
      data->set("currency", record->cart.currency);
      // The reminder's link: POST /api/v1/carts/recover {"token": …} restores the cart.
      data->set("recovery_token", token);
      storage::outbox_store::append(c, org, events::kCartAbandoned, toJsonText(data), now);
      ++marked;
    }
    tx.commit();
    for (const auto& [org, id] : claimed) cache_.erase(cartCacheKey(org, id));
    return marked;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

Result<int> CartJobs::expire(int batch) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto& c = *connection;
  try {
    const int64_t now = clock_();
    storage::Transaction tx(c);
    int expired = 0;
    const auto claimed = storage::cart_store::claimExpired(c, now, batch);
    for (const auto& [org, id] : claimed) {
      if (storage::cart_store::expireIfActive(c, org, id, now)) ++expired;
    }
    tx.commit();
    for (const auto& [org, id] : claimed) cache_.erase(cartCacheKey(org, id));
    return expired;
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
}

}  // namespace ordersvc::services
