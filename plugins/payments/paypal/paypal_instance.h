// One PayPal instance: the payment operations for one organization's REST app, through
// PayPal Checkout's Orders v2 and Payments v2 APIs. Messages follow
// plugin-api/schemas/payment/; provider_data of a payment is described in
// paypal_order_outcome.h, that of a refund in refund() below.
//
// The flow the host drives: create_session creates the order (intent CAPTURE for capture
// automatic, AUTHORIZE for manual) and answers action_required with the approval link;
// once the customer approved, sale captures the order or authorize authorizes it; capture
// and void act on that authorization; refund on the latest capture. Every mutating call
// sends ctx.idempotency_key as PayPal-Request-Id, so a retry gets PayPal's first answer.
//
// Threading: [any-thread]. Immutable after construction (the token lives in osp.kv/1).
// Not copyable: the token cache and API client refer to config_.
#pragma once

#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "osp/sdk/plugin.hpp"
#include "payments/paypal/paypal_api.h"
#include "payments/paypal/paypal_config.h"
#include "payments/paypal/paypal_token_cache.h"

namespace ordersvc::plugins::paypal {

class PaypalInstance final : public osp::sdk::Instance {
 public:
  explicit PaypalInstance(PaypalConfig config) : config_(std::move(config)), tokens_(config_), api_(config_, tokens_) {}
  PaypalInstance(const PaypalInstance&) = delete;
  PaypalInstance& operator=(const PaypalInstance&) = delete;

  // POST /v2/checkout/orders. action_required with next_action redirect to the approve
  // link; provider_reference is the order id. A currency PayPal does not take (CLP) or an
  // amount it cannot represent (HUF with a fraction) is declined without a call.
  osp::sdk::Result createSession(const osp::sdk::Call& call, std::string_view request) override;

  // POST /v2/checkout/orders/{id}/capture of the order in provider_data (or named by
  // payment_method.token: an order the storefront created and had approved itself).
  // ORDER_NOT_APPROVED -> action_required; ORDER_ALREADY_CAPTURED -> the order is
  // fetched and its capture reported, so a retry after a lost answer is safe.
  osp::sdk::Result sale(const osp::sdk::Call& call, std::string_view request) override;

  // POST /v2/checkout/orders/{id}/authorize; otherwise as sale (ORDER_ALREADY_AUTHORIZED).
  osp::sdk::Result authorize(const osp::sdk::Call& call, std::string_view request) override;

  // POST /v2/payments/authorizations/{authorization_id}/capture {amount, final_capture}.
  // amount + captured_amount beyond authorized_amount is OSP_E_INVALID_ARGUMENT
  // ("capture.exceeds_authorized"). provider_reference stays the order id.
  osp::sdk::Result capture(const osp::sdk::Call& call, std::string_view request) override;

  // POST /v2/payments/authorizations/{authorization_id}/void. Already voided ->
  // succeeded; already captured -> declined "already_captured".
  osp::sdk::Result voidPayment(const osp::sdk::Call& call, std::string_view request) override;

  // POST /v2/payments/captures/{capture_id}/refund {amount, custom_id: refund_id,
  // note_to_payer: reason}. provider_reference is PayPal's refund id; provider_data:
  // {kind: "refund", paypal_refund_id, refund_status, refund_id (the host's), capture_id,
  // order_id, amount} (+ paypal_request_id when PayPal's answer was lost).
  osp::sdk::Result refund(const osp::sdk::Call& call, std::string_view request) override;

  // A payment: GET /v2/checkout/orders/{order_id}, mapped as orderOutcome. A refund
  // (refund_id present): GET /v2/payments/refunds/{id}, or, when its id was never
  // learned, the order's refunds searched for custom_id = refund_id. A transport failure
  // is "unknown", never "not_submitted": sync says nothing about the original call.
  osp::sdk::Result sync(const osp::sdk::Call& call, std::string_view request) override;

  // Verified through POST /v1/notifications/verify-webhook-signature; see paypal_webhook.h.
  osp::sdk::Result webhookVerifyAndParse(const osp::sdk::Call& call, std::string_view request) override;

 private:
  osp::sdk::Result completeOrder(const osp::sdk::Call& call, std::string_view request, bool capture);
  osp::sdk::Result syncRefund(const osp::sdk::Call& call, const std::string& refundId, const std::string& reference,
                              const Poco::JSON::Object::Ptr& data);

  const PaypalConfig config_;
  const TokenCache tokens_;
  const PaypalApi api_;
};

}  // namespace ordersvc::plugins::paypal
