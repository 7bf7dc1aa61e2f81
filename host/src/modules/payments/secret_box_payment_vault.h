#pragma once

#include "modules/payments/payment_vault.h"
#include "platform/plugins/secret_box.h"

namespace ordersvc::plugins {

// services::PaymentVault over the master-key SecretBox that also seals plugin
// credentials (AES-256-GCM; associated data "payment:<organization>:<owner id>").
class SecretBoxPaymentVault final : public services::PaymentVault {
 public:
  explicit SecretBoxPaymentVault(const SecretBox& box) : box_(box) {}
  Result<std::string> seal(const std::string& organizationId, const std::string& ownerId,
                           const std::string& plaintext) const override;
  Result<std::string> open(const std::string& organizationId, const std::string& ownerId,
                           const std::string& stored) const override;

 private:
  const SecretBox& box_;
};

}  // namespace ordersvc::plugins
