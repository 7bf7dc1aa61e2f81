// Shared by the payment service's files (payment_service.cpp, payment_refunds.cpp,
// payment_webhooks.cpp, payment_reconciliation.cpp); not part of its interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "domain/order.h"
#include "domain/payment.h"
#include "modules/payments/payment_service.h"
#include "platform/storage/database.h"

namespace ordersvc::services {

// What applying an answer did, for the caller to act on after the commit.
struct PaymentService::Applied {
  domain::Payment payment;
  bool refundAfterCommit = false;  // money captured for an order cancelled meanwhile
};

namespace payment_detail {

constexpr int64_t kLeaseMs = 60 * 1000;           // longer than any gateway call's deadline
constexpr int64_t kFirstSyncDelayMs = 15 * 1000;  // unknown outcomes: ask again soon, then back off
constexpr int64_t kMaxSyncDelayMs = 60 * 60 * 1000;
constexpr int64_t kActionSyncDelayMs = 10 * 60 * 1000;  // customer flows: in case the webhook never comes

Error orderNotFound(const std::string& id);
Error paymentNotFound(const std::string& id);
bool visibleTo(const Actor& actor, const domain::Order& order);
Poco::JSON::Object::Ptr money(int64_t minor, const std::string& currency);
std::string statusName(domain::PaymentStatus status);
std::string paymentEventData(const domain::Order& order, const domain::Payment& payment, int64_t amountMinor);
void timeline(storage::Connection& c, const domain::Order& order, const std::string& actor, const std::string& action,
              const std::string& note, int64_t now);
Status saveOrder(storage::Connection& c, domain::Order& order, int64_t now);
std::string formatted(int64_t minor, const std::string& currency);
// Reconciliation backs off: 15 s, 30 s, 1 min, ... up to an hour.
int64_t syncDelayMs(int attempts);
// When reconciliation asks the gateway next about a payment in its current status (never,
// when the outcome is known).
void scheduleNextSync(domain::Payment& payment, int64_t now);

// A new payment of `request` on `order` through `instanceId`, not stored yet.
domain::Payment newPayment(const domain::Order& order, const std::string& instanceId, const PaymentRequest& request,
                           int64_t now);
// A fraud verdict's reasons: as the JSON array stored and answered, and as one line of text.
struct FraudNotes {
  Poco::JSON::Array::Ptr reasons;
  std::string text;
};
FraudNotes fraudNotes(const FraudVerdict& verdict);
// The error pay() answers for a payment the fraud rules refused.
Error fraudRefusal(const std::string& paymentId, const FraudNotes& notes);
// The body of pay()'s first gateway call.
std::string payRequestJson(const domain::Order& order, const domain::Payment& payment, const PaymentRequest& request,
                           domain::GatewayOperation operation);

// The refund of ours a provider's refund event reports (by its reference, or the one in
// flight for that amount), locked; none when the provider made it on its own.
std::optional<domain::Refund> reportedRefund(storage::Connection& c, const std::string& org, const std::string& orderId,
                                             const std::string& paymentId, const std::string& refundReference,
                                             int64_t amount);

}  // namespace payment_detail
}  // namespace ordersvc::services
