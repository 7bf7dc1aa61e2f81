#pragma once

#include "modules/catalog/catalog_module.h"
#include "modules/orders/order_payments.h"
#include "modules/orders/order_service.h"
#include "platform/modules/module.h"
#include "platform/modules/module_context.h"
#include "platform/storage/event_feed.h"

namespace ordersvc::modules {

// Orders after checkout: reads and lists, cancellation, the manual state actions, the
// outbox as GET /api/v1/events, and the jobs that cancel expired reservations and stale
// payment failures. It owns the commerce schema of release 4.
class OrdersModule final : public platform::Module {
 public:
  OrdersModule(platform::ModuleContext& context, CatalogModule& catalog, services::OrderPayments& payments);

  std::string_view name() const override { return "orders"; }
  void registerWith(platform::ModuleRegistrar& registrar) override;

  services::OrderService& orders() { return orders_; }

 private:
  platform::ModuleContext& context_;
  services::OrderService orders_;
  storage::EventFeed events_;
};

}  // namespace ordersvc::modules
