#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kernel/result.h"
#include "platform/storage/unit_of_work.h"

namespace ordersvc::services {

// What the payment path knows about an attempt before it reaches a gateway.
struct FraudScreenInput {
  std::string paymentId;
  std::string orderId;
  std::string instanceId;
  std::optional<std::string> customerId;
  std::optional<std::string> email;
  std::string clientIp;
  std::optional<std::string> cardFingerprint;  // hash of instance + gateway token; never the token
  int64_t amountMinor = 0;
  std::string currency;
  std::string billingCountry;
  std::string shippingCountry;
  int failedAttemptsOnOrder = 0;
};

struct FraudVerdict {
  std::string outcome = "allow";                             // allow, review, deny
  std::vector<std::pair<std::string, std::string>> reasons;  // (code, message)
};

// Fraud checks before a payment is attempted, inside the payment's transaction: the
// verdict and the signals it recorded commit (or roll back) with the payment row.
// Thread-safety: any thread.
class FraudScreen {
 public:
  virtual ~FraudScreen() = default;
  virtual Result<FraudVerdict> screen(storage::UnitOfWork& unit, const std::string& organizationId,
                                      const FraudScreenInput& input, int64_t nowMs) = 0;
  // The gateway declined the payment: counts toward "repeated failed attempts".
  virtual void recordFailure(storage::UnitOfWork& unit, const std::string& organizationId,
                             const std::string& paymentId) = 0;
};

}  // namespace ordersvc::services
