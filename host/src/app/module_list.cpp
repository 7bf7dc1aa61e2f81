#include "app/module_list.h"

#include <algorithm>

#include "modules/admin/admin_module.h"
#include "modules/carts/carts_module.h"
#include "modules/catalog/catalog_module.h"
#include "modules/checkout/checkout_module.h"
#include "modules/fraud/fraud_migrations.h"
#include "modules/fraud/fraud_module.h"
#include "modules/orders/order_migrations.h"
#include "modules/orders/orders_module.h"
#include "modules/payments/payment_migrations.h"
#include "modules/payments/payments_module.h"
#include "platform/plugins/plugin_migrations.h"
#include "platform/storage/outbox_migrations.h"
#include "platform/tenancy/tenancy_migrations.h"

namespace ordersvc::app {

std::vector<std::unique_ptr<platform::Module>> buildModules(PlatformRuntime& platform) {
  auto& context = platform.moduleContext();
  // Built in dependency order; listed in registration order (orders' jobs before the
  // carts' and payments', as they always ran).
  auto catalog = std::make_unique<modules::CatalogModule>(context);
  auto fraud = std::make_unique<modules::FraudModule>(context);
  auto payments = std::make_unique<modules::PaymentsModule>(context, *catalog, *fraud);
  auto orders = std::make_unique<modules::OrdersModule>(context, *catalog, payments->payments());
  auto carts = std::make_unique<modules::CartsModule>(context, *catalog);
  auto checkout = std::make_unique<modules::CheckoutModule>(context, *carts, *catalog);
  auto admin = std::make_unique<modules::AdminModule>(context, *catalog, *platform.pluginRegistry,
                                                      *platform.pluginInstances, *platform.bindingService);
  std::vector<std::unique_ptr<platform::Module>> list;
  list.push_back(std::move(catalog));
  list.push_back(std::move(admin));
  list.push_back(std::move(orders));
  list.push_back(std::move(carts));
  list.push_back(std::move(payments));
  list.push_back(std::move(fraud));
  list.push_back(std::move(checkout));
  return list;
}

std::vector<storage::Migration> platformMigrations() {
  std::vector<storage::Migration> out;
  for (const auto* part : {&storage::tenancyMigrations(), &storage::pluginMigrations(), &storage::outboxMigrations()}) {
    out.insert(out.end(), part->begin(), part->end());
  }
  return out;
}

const std::vector<storage::Migration>& allMigrations() {
  static const std::vector<storage::Migration> all = [] {
    std::vector<storage::Migration> out = platformMigrations();
    for (const auto* part : {&storage::orderMigrations(), &storage::paymentMigrations(), &storage::fraudMigrations()}) {
      out.insert(out.end(), part->begin(), part->end());
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
  }();
  return all;
}

}  // namespace ordersvc::app
