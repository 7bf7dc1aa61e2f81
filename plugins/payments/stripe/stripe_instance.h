// One Stripe instance: the payment operations for one organization's Stripe account.
// Requests and results follow plugin-api/schemas/payment/; what each operation sends to
// Stripe and how Stripe's answers become results is described beside each method, and
// the provider_data shapes in README.md.
//
// Stateless: what the plugin must remember about a payment (the PaymentIntent id, the
// operation it last asked for) travels in provider_data, which the host stores and hands
// back. Every POST carries the call's idempotency key as Stripe's Idempotency-Key.
//
// Threading: [any-thread]. Immutable after construction, so concurrent calls are safe.
#pragma once

#include <string_view>

#include "osp/sdk/plugin.hpp"
#include "payments/stripe/stripe_api.h"
#include "payments/stripe/stripe_config.h"
#include "payments/stripe/stripe_intent_outcome.h"
#include "payments/stripe/stripe_refund.h"
#include "payments/stripe/stripe_requests.h"
#include "payments/stripe/stripe_results.h"

namespace ordersvc::plugins::stripe {

class StripeInstance final : public osp::sdk::Instance {
 public:
  explicit StripeInstance(StripeConfig config) : config_(std::move(config)), api_(config_.secretKey) {}

  // POST /v1/payment_intents (not confirmed) with capture_method from "capture": normally
  // action_required, next_action "wait", session.client_secret for Stripe.js, and
  // provider_reference = the PaymentIntent id.
  osp::sdk::Result createSession(const osp::sdk::Call& call, std::string_view request) override;
  // With payment_method.token: creates and confirms an intent in one POST (or confirms the
  // session's intent named in provider_data). Without a token but with a session's
  // provider_data: reads the intent the customer confirmed in the browser and reports it.
  // sale captures automatically, authorize manually (succeeded = authorized).
  osp::sdk::Result sale(const osp::sdk::Call& call, std::string_view request) override;
  osp::sdk::Result authorize(const osp::sdk::Call& call, std::string_view request) override;
  // POST /v1/payment_intents/{id}/capture with amount_to_capture. Stripe captures once and
  // releases the rest, so a second capture (captured_amount > 0) is declined
  // "already_captured" without asking Stripe.
  osp::sdk::Result capture(const osp::sdk::Call& call, std::string_view request) override;
  // POST /v1/payment_intents/{id}/cancel. An intent already canceled is a success; a
  // captured one is declined "already_captured".
  osp::sdk::Result voidPayment(const osp::sdk::Call& call, std::string_view request) override;
  // POST /v1/refunds for the payment's intent; provider_reference = the refund id (re_...).
  osp::sdk::Result refund(const osp::sdk::Call& call, std::string_view request) override;
  // GET the intent (or the refund, with refund_id) and judge it against the operation in
  // provider_data; finds an intent or refund Stripe never answered for by its metadata.
  osp::sdk::Result sync(const osp::sdk::Call& call, std::string_view request) override;
  // The event id and account of a raw webhook, unverified.
  osp::sdk::Result webhookIdentify(const osp::sdk::Call& call, std::string_view request) override;
  // Verifies Stripe-Signature and normalises the event (stripe_event.h).
  osp::sdk::Result webhookVerifyAndParse(const osp::sdk::Call& call, std::string_view request) override;

 private:
  osp::sdk::Result charge(const osp::sdk::Call& call, std::string_view request, ChargeKind kind) const;
  osp::sdk::Result syncPayment(const osp::sdk::Call& call, const SyncRequest& request) const;
  osp::sdk::Result syncRefund(const osp::sdk::Call& call, const SyncRequest& request) const;

  // The result of a reply that should carry a PaymentIntent, judged with `context`; for
  // every other reply, replyOutcome() with `fallback`.
  osp::sdk::Result judgeIntentReply(const osp::sdk::Call& call, const StripeReply& reply, IntentContext context,
                                    const Fallback& fallback, bool lookup = false) const;
  // The same for a reply that should carry a Refund.
  osp::sdk::Result judgeRefundReply(const osp::sdk::Call& call, const StripeReply& reply, RefundContext context,
                                    const Fallback& fallback, bool lookup = false) const;

  const StripeConfig config_;
  const StripeApi api_;
};

}  // namespace ordersvc::plugins::stripe
