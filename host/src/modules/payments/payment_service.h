#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/actor.h"
#include "domain/commerce_settings.h"
#include "domain/order.h"
#include "domain/payment.h"
#include "modules/catalog/inventory_port.h"
#include "modules/fraud/fraud_screen.h"
#include "modules/orders/order_payments.h"
#include "modules/payments/payment_vault.h"
#include "platform/integrations/cache.h"
#include "platform/plugins/payment_answer.h"
#include "platform/plugins/plugin_gateway.h"

namespace Poco::JSON {
class Object;
}

namespace ordersvc::services {

struct PaymentRequest {
  std::string paymentMethod;                   // a payment instance id, or the start of one ("cash", "stripe")
  std::optional<std::string> paymentMethodId;  // a gateway token (pm_…); card numbers never reach us
  int64_t amountMinor = 0;
  std::string currency;
  std::optional<int64_t> amountTenderedMinor;  // cash: what the customer handed over
  domain::CaptureMode captureMode = domain::CaptureMode::Automatic;
  std::optional<std::string> returnUrl;  // redirect flows send the customer back here
  // Strings the storefront or terminal passes to the gateway (MercadoPago's
  // mp_payment_method_id and installments, a terminal id): a JSON object of strings.
  std::optional<std::string> metadataJson;
  std::string clientIp;
  std::string requestId;
  std::string idempotencyKey;
};

// A payment as the API answers it: the order after the change, the payment, and what
// the customer's browser needs next (passed through once, never stored).
struct PaymentOutcome {
  domain::Order order;
  domain::Payment payment;
  std::optional<std::string> clientSecret;
  std::optional<std::string> nextActionJson;
};

struct RefundRequest {
  std::optional<int64_t> amountMinor;          // by amount, or
  std::vector<std::pair<int, int64_t>> items;  // by items: (line_no, quantity)
  std::string reason;
  std::string requestId;
  std::string idempotencyKey;
};

// The raw webhook as received, for the plugin to verify.
struct WebhookDelivery {
  std::string method;
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string requestId;
};

struct WebhookAck {
  int status = 200;
  std::string body;
  std::string mediaType = "text/plain; charset=utf-8";
  bool duplicate = false;
  int eventsApplied = 0;
};

// Payments of orders through the organization's payment plugins. The host owns the
// payment records and their state machine (domain/payment.h); plugins only talk to the
// provider. Every outcome (the call's answer, the customer's confirmation, a webhook,
// a reconciliation) goes through one function under the order's and the payment's row
// locks, so whichever arrives first wins and the rest change nothing: one capture, one
// confirmation, one set of events.
class PaymentService final : public OrderPayments {
 public:
  PaymentService(storage::Database& database, InventoryPort& inventory, PluginGateway& plugins,
                 const CommerceSettings& settings, Clock clock, integrations::Cache& cache, const PaymentVault& vault,
                 FraudScreen* fraud)
      : database_(database),
        inventory_(inventory),
        plugins_(plugins),
        settings_(settings),
        clock_(std::move(clock)),
        cache_(cache),
        vault_(vault),
        fraud_(fraud) {}

  // Pays (part of) the balance: fraud screen, then payment.sale / authorize with a
  // gateway token, or payment.create_session for a browser flow.
  Result<PaymentOutcome> pay(const Actor& actor, const std::string& orderId, const PaymentRequest& request);
  // The customer is back from the provider (or confirmed in the browser): completes the
  // flow with payment.sale / authorize on the session, at most once at a time.
  Result<PaymentOutcome> confirm(const Actor& actor, const std::string& orderId, const std::string& paymentId,
                                 const std::string& requestId);
  // Captures (part of) an authorization.
  Result<PaymentOutcome> capture(const Actor& actor, const std::string& orderId, const std::string& paymentId,
                                 std::optional<int64_t> amountMinor, const std::string& requestId);
  // An operator's decision on a payment held for fraud review.
  Result<PaymentOutcome> approve(const Actor& actor, const std::string& orderId, const std::string& paymentId,
                                 const std::string& requestId);
  Result<domain::Order> reject(const Actor& actor, const std::string& orderId, const std::string& paymentId,
                               const std::string& reason);
  // Returns captured money, by amount or by items, never more than captured.
  Result<domain::Order> refund(const Actor& actor, const std::string& orderId, const RefundRequest& request);
  // After an order was cancelled: refunds captured money, voids authorizations and
  // cancels sessions. Failures are on the timeline and left to reconciliation.
  void settleCancelledOrder(const std::string& organizationId, const std::string& orderId, const std::string& actor,
                            const std::string& reason) override;
  // The order's payments and refunds, on the caller's connection (OrderPayments).
  void loadPaymentsInto(storage::Connection& connection, domain::Order& order) const override;
  // POST /api/v1/webhooks/{org}/{instance}. Errors: NotFound (no such payment instance),
  // Unauthenticated (bad or stale signature), Unavailable (try again).
  Result<WebhookAck> handleWebhook(const std::string& organizationId, const std::string& instanceId,
                                   const WebhookDelivery& delivery);
  // Background: asks the gateway about payments and refunds whose outcome is unknown or
  // pending. Returns how many were resolved.
  Result<int> reconcile(int batch);

 private:
  using GatewayAnswer = plugins::PaymentAnswer;
  struct Applied;

  Result<std::string> resolveInstance(const std::string& organizationId, const std::string& method) const;
  GatewayAnswer callGateway(const std::string& org, const std::string& instanceId, const std::string& operation,
                            const std::string& requestJson, const std::string& requestId,
                            const std::string& idempotencyKey);
  // Applies a gateway answer to the payment (and its order) under their row locks.
  Result<Applied> applyAnswer(storage::Connection& c, const std::string& org, const std::string& paymentId,
                              domain::GatewayOperation operation, const GatewayAnswer& answer,
                              const std::string& actor);
  // What the answer says besides the status: the provider's reference and data (sealed), and why it failed.
  Status recordAnswerDetails(const std::string& org, domain::Payment& payment, domain::GatewayOperation operation,
                             const GatewayAnswer& answer) const;
  // Moves a locked payment to `next` with the order effects and events of that move.
  Status movePayment(storage::Connection& c, domain::Order& order, domain::Payment& payment, domain::PaymentStatus next,
                     const std::string& actor, int64_t now, bool& refundAfterCommit);
  // The part of movePayment() for a payment that newly secures funds (authorized, or captured at
  // once): the order counts them, and is paid when they cover its total.
  Status recordSecuredFunds(storage::Connection& c, domain::Order& order, domain::Payment& payment,
                            domain::PaymentStatus next, const std::string& actor, int64_t now, bool& refundAfterCommit);
  // Takes the payment's lease (no other process talks to the gateway about it until it
  // expires); false when someone holds it.
  Result<bool> takeLease(storage::Connection& c, const std::string& org, domain::Payment& payment, int64_t now);
  Result<PaymentOutcome> callAndApply(storage::HeldConnection& held, const Actor& actor, const std::string& orderId,
                                      const std::string& paymentId, domain::GatewayOperation operation,
                                      const std::string& requestJson, const std::string& requestId,
                                      const std::string& idempotencyKey);
  Result<PaymentOutcome> complete(storage::HeldConnection& held, const std::string& org, const Actor& actor,
                                  const std::string& orderId, const std::string& paymentId,
                                  const std::string& requestId);
  // What is known without asking the gateway: the order as stored, and `payment`.
  Result<PaymentOutcome> knownOutcome(storage::Connection& c, const Actor& actor, const std::string& orderId,
                                      const domain::Payment& payment);
  // The steps of pay(), inside its transaction. checkPayable errors when the order takes no
  // payment of request.amountMinor now (its state, the currency, more than the balance not
  // already in flight, no attempts left); otherwise it answers how many of the order's
  // payments failed, which the fraud screen counts.
  Result<int> checkPayable(storage::Connection& c, const domain::Order& order, const PaymentRequest& request) const;
  Result<FraudVerdict> screenForFraud(storage::Connection& c, const domain::Order& order,
                                      const domain::Payment& payment, const PaymentRequest& request, int failedOnOrder,
                                      int64_t now);
  // Records a payment the fraud rules refused: failed, an attempt used, with its event.
  Status recordFraudDenial(storage::Connection& c, const Actor& actor, domain::Order& order, domain::Payment& payment,
                           const std::string& notes, int64_t now);
  // Counts the attempt and starts (or keeps) the order's payment.
  Status startPaymentAttempt(storage::Connection& c, const Actor& actor, domain::Order& order,
                             const PaymentRequest& request, int64_t now);
  // A gateway token (or a plugin without browser sessions, like cash) pays now; without
  // a token an online gateway starts a session the customer completes in the browser.
  domain::GatewayOperation firstOperation(const std::string& org, const domain::Payment& payment,
                                          const PaymentRequest& request) const;
  // Calls payment.refund for a refund row already recorded, then applies the answer.
  Result<domain::Refund> runRefund(storage::HeldConnection& held, const std::string& org, const std::string& refundId,
                                   const std::string& actor, const std::string& requestId);
  Result<domain::Refund> applyRefundAnswer(storage::Connection& c, const std::string& org, const std::string& refundId,
                                           const GatewayAnswer& answer, const std::string& actor);
  // Records refund rows for `amountMinor` spread over the order's captured payments
  // (newest first), inside the caller's transaction. Errors: Unprocessable when more
  // than what is captured and not yet refunded (or being refunded).
  Result<std::vector<std::string>> recordRefunds(storage::Connection& c, const domain::Order& order,
                                                 int64_t amountMinor, const std::string& reason,
                                                 const std::optional<std::string>& itemsJson, int64_t now);
  // One normalised provider event, inside the webhook's transaction. Returns the
  // payment a checkout.approved asks to complete after the commit, if any.
  Result<std::optional<std::pair<std::string, std::string>>> applyEvent(
      storage::Connection& c, const std::string& org, const std::string& instanceId, const plugins::WebhookEvent& event,
      int64_t now, std::vector<domain::Payment>& refundAfterCommit);
  // A provider's "payment.refunded" event: settles our refund it reports, or records one made at the provider.
  Status applyRefundEvent(storage::Connection& c, const std::string& org, const plugins::WebhookEvent& event,
                          domain::Order& order, domain::Payment& payment, int64_t amount, int64_t now,
                          const std::string& actor);
  // Has the plugin verify a webhook's signature and normalise its events: the plugin's answer.
  // Errors: Unauthenticated (bad or stale signature), InvalidArgument, Unavailable.
  Result<std::string> verifyWebhook(const std::string& organizationId, const std::string& instanceId,
                                    const WebhookDelivery& delivery);
  // The steps of reconcile(). claimDueSyncs claims, in one transaction, the payments and refunds
  // due for a sync (pushed past the lease so other processes skip them while this one asks).
  // The sync steps ask the gateway about each, outside any transaction, add what they resolved
  // to `resolved`, and answer false when the connection could not be taken back (reconcile
  // then stops and reports what it resolved).
  void claimDueSyncs(storage::Connection& c, int batch, std::vector<std::pair<std::string, std::string>>& payments,
                     std::vector<std::pair<std::string, std::string>>& refunds);
  Result<bool> syncDuePayments(storage::HeldConnection& held,
                               const std::vector<std::pair<std::string, std::string>>& payments, int& resolved);
  Result<bool> syncDueRefunds(storage::HeldConnection& held,
                              const std::vector<std::pair<std::string, std::string>>& refunds, int& resolved);
  void refundCapturedPayment(const std::string& org, const std::string& orderId, const domain::Payment& payment,
                             const std::string& actor, const std::string& reason);
  Result<std::string> sealed(const std::string& org, const std::string& ownerId,
                             const std::optional<std::string>& json) const;
  std::string providerData(const std::string& org, const std::string& ownerId,
                           const std::optional<std::string>& stored) const;
  Result<domain::Order> readOrder(storage::Connection& c, const Actor& actor, const std::string& orderId);

  storage::Database& database_;
  InventoryPort& inventory_;
  PluginGateway& plugins_;
  const CommerceSettings& settings_;
  Clock clock_;
  integrations::Cache& cache_;
  const PaymentVault& vault_;
  FraudScreen* fraud_;
};

}  // namespace ordersvc::services
