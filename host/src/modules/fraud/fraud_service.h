#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/actor.h"
#include "domain/commerce_settings.h"
#include "domain/fraud_rules.h"
#include "kernel/result.h"
#include "modules/fraud/fraud_repository.h"
#include "modules/fraud/fraud_screen.h"

namespace ordersvc::services {

// What the payment path knows about one attempt before it reaches the gateway. Empty
// strings count as absent: an attempt is never counted under an empty key.
struct FraudInput {
  std::string paymentId;  // the payment row the attempt creates; one assessment per id
  std::string orderId;
  std::optional<std::string> customerId;       // token subject; nullopt for a guest
  std::optional<std::string> email;            // the order's email (stored hashed only)
  std::optional<std::string> ip;               // the client's address (Request::remoteAddress)
  std::optional<std::string> cardFingerprint;  // sha256 of instance + gateway token, by the caller
  int64_t amountMinor = 0;
  std::string currency;               // ISO 4217
  std::string billingCountry;         // ISO 3166-1 alpha-2 of the billing address; "" when unknown
  std::string shippingCountry;        // idem, shipping address
  int64_t failedAttemptsOnOrder = 0;  // earlier failed payment attempts on this order
};

// Fraud checks before a payment attempt, and the organization's rules behind them.
//
// Thread-safety: holds no state of its own; any thread.
class FraudService final : public FraudScreen {
 public:
  FraudService(storage::UnitsOfWork& units, FraudRepository& repository, Clock clock)
      : units_(units), repository_(repository), clock_(std::move(clock)) {}

  // The rules of the actor's organization (the defaults with version 0 when none were
  // saved). Errors: PermissionDenied (not a manager or admin), Unavailable, Internal.
  Result<StoredFraudRules> rules(const Actor& actor);

  // Replaces the organization's rules if they are still at `expectedVersion` (0 when none
  // were saved yet); returns them as stored, at the next version. Errors: PermissionDenied,
  // Conflict (someone saved meanwhile: read them again), Unavailable, Internal.
  Result<StoredFraudRules> replaceRules(const Actor& actor, const domain::FraudRules& rules, int64_t expectedVersion);

  // Assesses one payment attempt of organization `org` on the caller's connection, inside
  // the caller's transaction: loads the rules, counts the earlier attempts of the
  // customer, email, IP and card within each rule's window (and the customer's failed
  // ones), records this attempt with its outcome, and returns the decision. The counts
  // include this attempt. With the rules disabled the attempt is still recorded (so the
  // counts are right the moment they are enabled) and allowed.
  //
  // The caller acts on the outcome (deny: no gateway call; review: its policy) and calls
  // recordFailure(unit, org, paymentId) when the gateway declines, so the
  // failed-attempt rules see it. Assessing the same payment id again records nothing new
  // (its counts then include the first assessment).
  // Errors: Unavailable (connection lost; marked broken), Internal.
  Result<domain::FraudDecision> assess(storage::UnitOfWork& unit, const std::string& org, const FraudInput& input,
                                       int64_t nowMs) const;

  // FraudScreen, for the payment path: assess() in the payment's transaction, and
  // markFailed() when the gateway declines.
  Result<FraudVerdict> screen(storage::UnitOfWork& unit, const std::string& organizationId,
                              const FraudScreenInput& input, int64_t nowMs) override;
  void recordFailure(storage::UnitOfWork& unit, const std::string& organizationId,
                     const std::string& paymentId) override;

 private:
  storage::UnitsOfWork& units_;
  FraudRepository& repository_;
  Clock clock_;
};

}  // namespace ordersvc::services
