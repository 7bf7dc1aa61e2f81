#include "payments/stripe/stripe_requests.h"

#include "common/json_reader.h"
#include "payments/stripe/stripe_api.h"

namespace ordersvc::plugins::stripe {

using common::JsonObjectReader;
using common::Need;

namespace {

std::optional<JsonObjectReader> readTop(std::string_view json, common::Problems& problems) {
  Poco::JSON::Object::Ptr root = common::parseObject(json, problems);
  if (!root) return std::nullopt;
  return JsonObjectReader(root, "", problems);
}

// A Stripe id stored in provider_data: it goes into a URL path, so it must be one.
std::optional<std::string> stripeId(const JsonObjectReader& data, std::string_view key) {
  auto id = data.string(key, Need::Optional, 1, 200);
  if (id && !isStripeId(*id)) {
    data.problems().add(data.pathOf(key), "is not a Stripe id");
    return std::nullopt;
  }
  return id;
}

// provider_data is the plugin's own, written by an earlier result; members it does not
// know (a later version's) are ignored, members it knows must have their types.
PaymentData readPaymentData(const JsonObjectReader& data) {
  PaymentData out;
  out.paymentIntent = stripeId(data, "payment_intent");
  if (auto name = data.oneOf("operation", Need::Optional, {"sale", "authorize", "capture", "void"})) {
    out.operation = operationNamed(*name);
  }
  out.captureMethod = data.oneOf("capture_method", Need::Optional, {"automatic", "manual"});
  out.paymentId = data.string("payment_id", Need::Optional, 1, 200);
  out.amount = data.money("amount", Need::Optional);
  out.paymentMethod = data.string("payment_method", Need::Optional, 1, 500);
  return out;
}

RefundData readRefundData(const JsonObjectReader& data) {
  RefundData out;
  out.refund = stripeId(data, "refund");
  out.refundId = data.string("refund_id", Need::Optional, 1, 200);
  out.paymentIntent = stripeId(data, "payment_intent");
  out.amount = data.money("amount", Need::Optional);
  return out;
}

// common.json metadata, kept in the order received.
Metadata readMetadata(const JsonObjectReader& request) {
  Metadata out;
  common::checkMetadata(request);
  auto metadata = request.object("metadata", Need::Optional);
  if (!metadata) return out;
  for (const std::string& key : metadata->keys()) {
    if (key.size() > 40) metadata->problems().add(metadata->pathOf(key), "name is longer than 40 characters");
    if (auto value = metadata->string(key, Need::Optional, 0, 500)) out.emplace_back(key, *value);
  }
  return out;
}

void checkCustomer(const JsonObjectReader& request) {
  if (auto customer = request.object("customer", Need::Optional)) {
    customer->rejectUnknown({"id", "name", "email"});
    customer->string("id", Need::Optional, 1, 200);
    customer->string("name", Need::Optional, 0, 200);
    customer->string("email", Need::Optional, 0, 254);
  }
}

void checkCurrency(const common::Money& money, const common::Money& other, const JsonObjectReader& request,
                   std::string_view field) {
  if (money.currency != other.currency) {
    request.problems().add(request.pathOf(field), "is in " + other.currency + " but amount is in " + money.currency);
  }
}

}  // namespace

std::optional<std::string> intentOf(const PaymentData& data, const std::string& reference) {
  if (data.paymentIntent) return data.paymentIntent;
  if (reference.rfind("pi_", 0) == 0 && isStripeId(reference)) return reference;
  return std::nullopt;
}

std::optional<ChargeRequest> readChargeRequest(std::string_view json, ChargeKind kind, common::Problems& problems) {
  auto req = readTop(json, problems);
  if (!req) return std::nullopt;
  if (kind == ChargeKind::Session) {
    req->rejectUnknown({"payment_id", "order_id", "amount", "capture", "payment_method_types", "customer",
                        "description", "return_url", "cancel_url", "locale", "expires_at", "metadata"});
  } else if (kind == ChargeKind::Sale) {
    req->rejectUnknown({"payment_id", "order_id", "amount", "amount_tendered", "payment_method", "customer",
                        "description", "return_url", "metadata", "provider_data"});
  } else {
    req->rejectUnknown({"payment_id", "order_id", "amount", "payment_method", "customer", "description", "return_url",
                        "metadata", "provider_data"});
  }
  ChargeRequest out;
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  out.orderId = req->string("order_id", Need::Optional, 1, 200);
  out.description = req->string("description", Need::Optional, 0, 500);
  out.returnUrl = req->string("return_url", Need::Optional, 1, 2000);
  checkCustomer(*req);
  out.metadata = readMetadata(*req);
  if (kind == ChargeKind::Session) {
    out.manualCapture =
        req->oneOf("capture", Need::Optional, {"automatic", "manual"}).value_or("automatic") == "manual";
    if (auto types = req->array("payment_method_types", Need::Optional, 1, 5)) {
      for (std::size_t i = 0; i < types->size(); ++i) {
        if (auto type = types->string(i, 1, 40)) out.methodTypes.push_back(*type);
      }
    }
    req->string("cancel_url", Need::Optional, 1, 2000);
    req->string("locale", Need::Optional, 2, 40);
    req->string("expires_at", Need::Optional, 1, 40);
  } else {
    if (auto method = req->object("payment_method", Need::Optional)) {
      method->rejectUnknown({"type", "token"});
      method->oneOf("type", Need::Required, {"card", "cash", "wallet", "bank_transfer", "other"});
      out.token = method->string("token", Need::Optional, 1, 500);
    }
    if (kind == ChargeKind::Sale) req->money("amount_tendered", Need::Optional, 0);  // cash only; ignored
    if (auto data = req->object("provider_data", Need::Optional)) out.session = readPaymentData(*data);
  }
  if (!problems.empty()) return std::nullopt;
  out.paymentId = *paymentId;
  out.amount = *amount;
  return out;
}

std::optional<CaptureRequest> readCaptureRequest(std::string_view json, common::Problems& problems) {
  auto req = readTop(json, problems);
  if (!req) return std::nullopt;
  req->rejectUnknown({"payment_id", "capture_id", "amount", "authorized_amount", "captured_amount", "final_capture",
                      "provider_reference", "provider_data", "metadata"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  req->string("capture_id", Need::Optional, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  auto authorized = req->money("authorized_amount", Need::Required, 1);
  auto captured = req->money("captured_amount", Need::Optional, 0);
  req->boolean("final_capture", Need::Optional);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  readMetadata(*req);
  if (!problems.empty()) return std::nullopt;
  checkCurrency(*amount, *authorized, *req, "authorized_amount");
  if (captured) checkCurrency(*amount, *captured, *req, "captured_amount");
  CaptureRequest out{*paymentId, *amount, *authorized, captured, *reference, readPaymentData(*data)};
  if (!problems.empty()) return std::nullopt;
  return out;
}

std::optional<VoidRequest> readVoidRequest(std::string_view json, common::Problems& problems) {
  auto req = readTop(json, problems);
  if (!req) return std::nullopt;
  req->rejectUnknown({"payment_id", "authorized_amount", "reason", "provider_reference", "provider_data", "metadata"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto authorized = req->money("authorized_amount", Need::Optional, 1);
  auto reason = req->string("reason", Need::Optional, 0, 500);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  readMetadata(*req);
  if (!problems.empty()) return std::nullopt;
  VoidRequest out{*paymentId, authorized, reason, *reference, readPaymentData(*data)};
  if (!problems.empty()) return std::nullopt;
  return out;
}

std::optional<RefundRequest> readRefundRequest(std::string_view json, common::Problems& problems) {
  auto req = readTop(json, problems);
  if (!req) return std::nullopt;
  req->rejectUnknown({"payment_id", "refund_id", "amount", "captured_amount", "refunded_amount", "reason",
                      "provider_reference", "provider_data", "metadata"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto refundId = req->string("refund_id", Need::Required, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  auto captured = req->money("captured_amount", Need::Required, 1);
  auto refunded = req->money("refunded_amount", Need::Optional, 0);
  auto reason = req->string("reason", Need::Optional, 0, 500);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  Metadata metadata = readMetadata(*req);
  if (!problems.empty()) return std::nullopt;
  checkCurrency(*amount, *captured, *req, "captured_amount");
  if (refunded) checkCurrency(*amount, *refunded, *req, "refunded_amount");
  RefundRequest out{*paymentId,         *refundId, *amount,    *captured,
                    refunded,           reason,    *reference, readPaymentData(*data),
                    std::move(metadata)};
  if (!problems.empty()) return std::nullopt;
  return out;
}

std::optional<SyncRequest> readSyncRequest(std::string_view json, common::Problems& problems) {
  auto req = readTop(json, problems);
  if (!req) return std::nullopt;
  req->rejectUnknown({"payment_id", "refund_id", "provider_reference", "provider_data"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto refundId = req->string("refund_id", Need::Optional, 1, 200);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  if (!problems.empty()) return std::nullopt;
  SyncRequest out{*paymentId, refundId, *reference, {}, {}};
  if (refundId) {
    out.refund = readRefundData(*data);
    out.payment.paymentIntent = out.refund.paymentIntent;
    out.payment.amount = out.refund.amount;
  } else {
    out.payment = readPaymentData(*data);
  }
  if (!problems.empty()) return std::nullopt;
  return out;
}

}  // namespace ordersvc::plugins::stripe
