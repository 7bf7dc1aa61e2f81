// The host's payment requests (plugin-api/schemas/payment/*.request.json) and the
// provider_data this plugin wrote earlier, read and checked. A request that breaks its
// schema is refused whole (OSP_E_INVALID_ARGUMENT, code "request.invalid"), with every
// problem named, before anything is sent to Stripe.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/money.h"
#include "common/problems.h"
#include "payments/stripe/stripe_intent_outcome.h"

namespace ordersvc::plugins::stripe {

using Metadata = std::vector<std::pair<std::string, std::string>>;

// provider_data of a payment, as intentProviderData() wrote it. Every member is optional:
// a result Stripe never answered carries only what the plugin knew (no payment_intent).
struct PaymentData {
  std::optional<std::string> paymentIntent;  // checked with isStripeId
  std::optional<IntentOperation> operation;
  std::optional<std::string> captureMethod;  // automatic | manual
  std::optional<std::string> paymentId;
  std::optional<common::Money> amount;
  std::optional<std::string> paymentMethod;
};

// provider_data of a refund, as refundProviderData() wrote it.
struct RefundData {
  std::optional<std::string> refund;  // re_..., checked with isStripeId
  std::optional<std::string> refundId;
  std::optional<std::string> paymentIntent;
  std::optional<common::Money> amount;
};

// payment.create_session, payment.sale and payment.authorize.
struct ChargeRequest {
  std::string paymentId;
  std::optional<std::string> orderId;
  common::Money amount;
  std::optional<std::string> token;  // payment_method.token: a PaymentMethod id (pm_...)
  std::optional<std::string> description;
  std::optional<std::string> returnUrl;
  Metadata metadata;
  PaymentData session;                   // provider_data of an earlier create_session; may be empty
  bool manualCapture = false;            // create_session: capture "manual"
  std::vector<std::string> methodTypes;  // create_session: payment_method_types
};

struct CaptureRequest {
  std::string paymentId;
  common::Money amount;
  common::Money authorizedAmount;
  std::optional<common::Money> capturedAmount;
  std::string reference;
  PaymentData data;
};

struct VoidRequest {
  std::string paymentId;
  std::optional<common::Money> authorizedAmount;
  std::optional<std::string> reason;
  std::string reference;
  PaymentData data;
};

struct RefundRequest {
  std::string paymentId;
  std::string refundId;
  common::Money amount;
  common::Money capturedAmount;
  std::optional<common::Money> refundedAmount;
  std::optional<std::string> reason;
  std::string reference;
  PaymentData data;  // the payment's
  Metadata metadata;
};

struct SyncRequest {
  std::string paymentId;
  std::optional<std::string> refundId;
  std::string reference;
  PaymentData payment;  // provider_data read as a payment's
  RefundData refund;    // provider_data read as a refund's (when refundId is present)
};

enum class ChargeKind { Session, Sale, Authorize };

// Each returns nullopt with the problems added when the request breaks its schema.
std::optional<ChargeRequest> readChargeRequest(std::string_view json, ChargeKind kind, common::Problems& problems);
std::optional<CaptureRequest> readCaptureRequest(std::string_view json, common::Problems& problems);
std::optional<VoidRequest> readVoidRequest(std::string_view json, common::Problems& problems);
std::optional<RefundRequest> readRefundRequest(std::string_view json, common::Problems& problems);
std::optional<SyncRequest> readSyncRequest(std::string_view json, common::Problems& problems);

// The PaymentIntent a request is about: provider_data's payment_intent, else the
// provider_reference when it is one (pi_...).
std::optional<std::string> intentOf(const PaymentData& data, const std::string& reference);

}  // namespace ordersvc::plugins::stripe
