#include "modules/checkout/checkout_module.h"

#include "modules/checkout/checkout_routes.h"

namespace ordersvc::modules {

void CheckoutModule::registerWith(platform::ModuleRegistrar& registrar) {
  registrar.addRoutes(api::checkoutRoutes(checkout_));
}

}  // namespace ordersvc::modules
