#pragma once

#include <string>

#include "kernel/result.h"

namespace ordersvc::services {

// Keeps what gateways hand back about a payment (provider_data: intent ids, gateway
// tokens, authorization codes) encrypted at rest, bound to the organization and the
// payment or refund id it belongs to, so a copied value decrypts nowhere else.
// Thread-safety: implementations are immutable; any thread.
class PaymentVault {
 public:
  virtual ~PaymentVault() = default;
  virtual Result<std::string> seal(const std::string& organizationId, const std::string& ownerId,
                                   const std::string& plaintext) const = 0;
  // Values written before sealing began (plain JSON objects) are returned as they are.
  virtual Result<std::string> open(const std::string& organizationId, const std::string& ownerId,
                                   const std::string& stored) const = 0;
};

}  // namespace ordersvc::services
