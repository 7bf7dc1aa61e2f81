#pragma once

#include "modules/fraud/fraud_service.h"
#include "modules/fraud/sql_fraud_repository.h"
#include "platform/modules/module.h"
#include "platform/modules/module_context.h"

namespace ordersvc::modules {

// The organization's fraud rules (GET/PUT /api/v1/fraud-rules) and the screening of
// customers' payments (fraud() is the payments module's FraudScreen).
class FraudModule final : public platform::Module {
 public:
  explicit FraudModule(platform::ModuleContext& context)
      : units_(context.database), fraud_(units_, repository_, context.clock) {}

  std::string_view name() const override { return "fraud"; }
  void registerWith(platform::ModuleRegistrar& registrar) override;

  services::FraudService& fraud() { return fraud_; }

 private:
  storage::SqlUnitsOfWork units_;
  services::SqlFraudRepository repository_;
  services::FraudService fraud_;
};

}  // namespace ordersvc::modules
