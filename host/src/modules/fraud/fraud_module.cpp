#include "modules/fraud/fraud_module.h"

#include "modules/fraud/fraud_migrations.h"
#include "modules/fraud/fraud_routes.h"

namespace ordersvc::modules {

void FraudModule::registerWith(platform::ModuleRegistrar& registrar) {
  registrar.addMigrations(storage::fraudMigrations());
  registrar.addRoutes(api::fraudRoutes(fraud_));
}

}  // namespace ordersvc::modules
