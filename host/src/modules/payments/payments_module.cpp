#include "modules/payments/payments_module.h"

#include "modules/payments/payment_migrations.h"
#include "modules/payments/payment_routes.h"

namespace ordersvc::modules {

PaymentsModule::PaymentsModule(platform::ModuleContext& context, CatalogModule& catalog, FraudModule& fraud)
    : vault_(context.secretBox),
      payments_(context.database, catalog.inventory(), context.plugins, context.commerce, context.clock, context.cache,
                vault_, &fraud.fraud()) {}

void PaymentsModule::registerWith(platform::ModuleRegistrar& registrar) {
  registrar.addMigrations(storage::paymentMigrations());
  registrar.addRoutes(api::paymentRoutes(payments_));
  registrar.addJob({"payment-reconciliation", [this](int batch) { return payments_.reconcile(batch); }});
}

}  // namespace ordersvc::modules
