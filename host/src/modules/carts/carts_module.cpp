#include "modules/carts/carts_module.h"

#include "modules/carts/cart_routes.h"

namespace ordersvc::modules {

CartsModule::CartsModule(platform::ModuleContext& context, CatalogModule& catalog)
    : context_(context),
      pricer_(context.plugins, context.commerce),
      carts_(context.database, catalog.catalog(), pricer_, context.organizations, context.commerce, context.clock,
             context.cache),
      jobs_(context.database, context.commerce, context.clock, context.cache),
      units_(context.database),
      addresses_(units_, addressRepository_, context.clock),
      coupons_(context.database, context.clock) {}

void CartsModule::registerWith(platform::ModuleRegistrar& registrar) {
  registrar.addRoutes(api::cartRoutes(api::CartRouteDependencies{
      carts_, addresses_, coupons_, context_.cache, std::chrono::seconds(context_.settings.getInt("CACHE_TTL_CART"))}));
  registrar.addJob({"abandoned-carts", [this](int batch) { return jobs_.markAbandoned(batch); }});
  registrar.addJob({"cart-expiry", [this](int batch) { return jobs_.expire(batch); }});
}

}  // namespace ordersvc::modules
