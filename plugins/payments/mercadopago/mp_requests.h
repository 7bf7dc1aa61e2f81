// The host's payment requests (plugin-api/schemas/payment/*.request.json) as the
// MercadoPago plugin reads them: every field the schema allows is checked, so a request
// that breaks its schema is refused whole (OSP_E_INVALID_ARGUMENT), not half-read.
//
// MercadoPago needs three things the host's card request has no field for; they travel
// in metadata (string values):
//   "mp_payment_method_id"  the card brand id MercadoPago's browser SDK reports with the
//                           token ("visa", "master", "amex"); required with a token
//   "installments"          number of installments, "1" to "99"; default "1"
//   "mp_issuer_id"          the issuer id the browser SDK reports; optional
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "common/money.h"
#include "common/problems.h"

namespace ordersvc::plugins::mercadopago {

// payment.sale / payment.authorize.
struct ChargeRequest {
  std::string paymentId;
  std::optional<std::string> orderId;
  common::Money amount;
  std::optional<std::string> token;  // payment_method.token: a MercadoPago card token
  std::optional<std::string> email;  // customer.email, MercadoPago's payer.email
  std::optional<std::string> description;
  std::optional<std::string> paymentMethodId;  // metadata mp_payment_method_id
  int64_t installments = 1;                    // metadata installments
  std::optional<std::string> issuerId;         // metadata mp_issuer_id
  Poco::JSON::Object::Ptr providerData;        // null when absent
};
std::optional<ChargeRequest> readChargeRequest(std::string_view json, bool isSale, common::Problems& problems);

// payment.capture.
struct CaptureRequest {
  std::string paymentId;
  common::Money amount;
  common::Money authorizedAmount;
  common::Money capturedAmount;  // zero when absent
  std::string providerReference;
  Poco::JSON::Object::Ptr providerData;
};
std::optional<CaptureRequest> readCaptureRequest(std::string_view json, common::Problems& problems);

// payment.void.
struct VoidRequest {
  std::string paymentId;
  std::optional<common::Money> authorizedAmount;
  std::string providerReference;
  Poco::JSON::Object::Ptr providerData;
};
std::optional<VoidRequest> readVoidRequest(std::string_view json, common::Problems& problems);

// payment.refund.
struct RefundRequest {
  std::string paymentId;
  std::string refundId;
  common::Money amount;
  common::Money capturedAmount;
  common::Money refundedAmount;  // zero when absent
  std::string providerReference;
  Poco::JSON::Object::Ptr providerData;
};
std::optional<RefundRequest> readRefundRequest(std::string_view json, common::Problems& problems);

// payment.sync.
struct SyncRequest {
  std::string paymentId;
  std::optional<std::string> refundId;
  std::string providerReference;
  Poco::JSON::Object::Ptr providerData;
};
std::optional<SyncRequest> readSyncRequest(std::string_view json, common::Problems& problems);

}  // namespace ordersvc::plugins::mercadopago
