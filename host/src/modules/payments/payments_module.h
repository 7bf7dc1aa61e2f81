#pragma once

#include "modules/catalog/catalog_module.h"
#include "modules/fraud/fraud_module.h"
#include "modules/payments/payment_service.h"
#include "modules/payments/secret_box_payment_vault.h"
#include "platform/modules/module.h"
#include "platform/modules/module_context.h"

namespace ordersvc::modules {

// Payments through the organization's gateway plugins: sessions, captures, refunds,
// provider webhooks, fraud review and the reconciliation job.
class PaymentsModule final : public platform::Module {
 public:
  PaymentsModule(platform::ModuleContext& context, CatalogModule& catalog, FraudModule& fraud);

  std::string_view name() const override { return "payments"; }
  void registerWith(platform::ModuleRegistrar& registrar) override;

  services::PaymentService& payments() { return payments_; }

 private:
  // Gateway tokens and provider data are sealed at rest under the master key.
  plugins::SecretBoxPaymentVault vault_;
  services::PaymentService payments_;
};

}  // namespace ordersvc::modules
