#pragma once

#include "modules/carts/carts_module.h"
#include "modules/catalog/catalog_module.h"
#include "modules/checkout/checkout_service.h"
#include "platform/modules/module.h"
#include "platform/modules/module_context.h"

namespace ordersvc::modules {

// Checkout: a cart becomes an order with its stock reserved (POST /api/v1/orders/from-cart).
class CheckoutModule final : public platform::Module {
 public:
  CheckoutModule(platform::ModuleContext& context, CartsModule& carts, CatalogModule& catalog)
      : checkout_(context.database, carts.carts(), carts.addresses(), catalog.catalog(), catalog.inventory(),
                  context.commerce, context.clock, context.cache) {}

  std::string_view name() const override { return "checkout"; }
  void registerWith(platform::ModuleRegistrar& registrar) override;

 private:
  services::CheckoutService checkout_;
};

}  // namespace ordersvc::modules
