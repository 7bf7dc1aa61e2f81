#include "modules/orders/orders_module.h"

#include "modules/orders/order_migrations.h"
#include "modules/orders/order_routes.h"

namespace ordersvc::modules {

OrdersModule::OrdersModule(platform::ModuleContext& context, CatalogModule& catalog, services::OrderPayments& payments)
    : context_(context),
      orders_(context.database, catalog.inventory(), context.commerce, context.clock, context.cache, &payments),
      events_(context.database) {}

void OrdersModule::registerWith(platform::ModuleRegistrar& registrar) {
  registrar.addMigrations(storage::orderMigrations());
  registrar.addRoutes(api::orderRoutes(api::OrderRouteDependencies{
      orders_, events_, context_.cache, std::chrono::seconds(context_.settings.getInt("CACHE_TTL_ORDER"))}));
  registrar.addJob({"reservation-expiry", [this](int batch) { return orders_.cancelExpiredReservations(batch); }});
  registrar.addJob({"payment-timeout", [this](int batch) { return orders_.cancelStalePaymentFailures(batch); }});
}

}  // namespace ordersvc::modules
