// The host's payment requests (plugin-api/schemas/payment/*.request.json) read strictly,
// for the card plugins: every field the schema allows is checked, so a request that breaks
// its schema is refused whole (OSP_E_INVALID_ARGUMENT), not half-read, and amounts that
// must share amount's currency are checked too. A plugin that uses these lists
// ../../common/payment_requests.cpp in its SOURCES.
//
// Not thread-safe: the Problems passed in belong to one call.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "common/money.h"
#include "common/problems.h"

namespace ordersvc::plugins::common {

// payment.sale / payment.authorize.
struct ChargeRequest {
  std::string paymentId;
  std::optional<std::string> orderId;
  Money amount;
  std::optional<std::string> methodType;  // payment_method.type
  std::optional<std::string> token;       // payment_method.token
  std::optional<std::string> customerId;
  std::optional<std::string> customerName;
  std::optional<std::string> email;
  std::optional<std::string> description;
  std::map<std::string, std::string, std::less<>> metadata;
  Poco::JSON::Object::Ptr providerData;  // null when absent
};
// `isSale` admits amount_tendered (cash's field), which authorize's schema lacks.
std::optional<ChargeRequest> readChargeRequest(std::string_view json, bool isSale, Problems& problems);

// payment.capture.
struct CaptureRequest {
  std::string paymentId;
  Money amount;
  Money authorizedAmount;
  Money capturedAmount;  // zero when absent
  bool finalCapture = true;
  std::string providerReference;
  Poco::JSON::Object::Ptr providerData;
};
std::optional<CaptureRequest> readCaptureRequest(std::string_view json, Problems& problems);

// payment.void.
struct VoidRequest {
  std::string paymentId;
  std::optional<Money> authorizedAmount;
  std::string providerReference;
  Poco::JSON::Object::Ptr providerData;
};
std::optional<VoidRequest> readVoidRequest(std::string_view json, Problems& problems);

// payment.refund.
struct RefundRequest {
  std::string paymentId;
  std::string refundId;
  Money amount;
  Money capturedAmount;
  Money refundedAmount;  // zero when absent
  std::optional<std::string> reason;
  std::string providerReference;
  Poco::JSON::Object::Ptr providerData;

  // amount <= capturedAmount - refundedAmount (and refundedAmount <= capturedAmount).
  bool withinCaptured() const;
};
std::optional<RefundRequest> readRefundRequest(std::string_view json, Problems& problems);

// payment.sync.
struct SyncRequest {
  std::string paymentId;
  std::optional<std::string> refundId;
  std::string providerReference;
  Poco::JSON::Object::Ptr providerData;
};
std::optional<SyncRequest> readSyncRequest(std::string_view json, Problems& problems);

}  // namespace ordersvc::plugins::common
