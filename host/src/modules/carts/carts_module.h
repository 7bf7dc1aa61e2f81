#pragma once

#include "modules/carts/address_book.h"
#include "modules/carts/cart_jobs.h"
#include "modules/carts/cart_pricer.h"
#include "modules/carts/cart_service.h"
#include "modules/carts/coupon_admin.h"
#include "modules/catalog/catalog_module.h"
#include "platform/modules/module.h"
#include "platform/modules/module_context.h"

namespace ordersvc::modules {

// Carts (guest and signed-in), their pricing through the carrier and tax plugins,
// coupons, saved addresses, and the abandoned/expired cart jobs.
class CartsModule final : public platform::Module {
 public:
  CartsModule(platform::ModuleContext& context, CatalogModule& catalog);

  std::string_view name() const override { return "carts"; }
  void registerWith(platform::ModuleRegistrar& registrar) override;

  services::CartService& carts() { return carts_; }
  services::AddressBook& addresses() { return addresses_; }

 private:
  platform::ModuleContext& context_;
  services::CartPricer pricer_;
  services::CartService carts_;
  services::CartJobs jobs_;
  storage::SqlUnitsOfWork units_;
  services::SqlAddressRepository addressRepository_;
  services::AddressBook addresses_;
  services::CouponAdmin coupons_;
};

}  // namespace ordersvc::modules
