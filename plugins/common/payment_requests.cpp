#include "common/payment_requests.h"

#include "common/json_reader.h"

namespace ordersvc::plugins::common {

namespace {

// `money` must be in amount's currency; says so at `path` otherwise.
void sameCurrency(const std::optional<Money>& money, const std::optional<Money>& amount, const std::string& path,
                  Problems& problems) {
  if (money && amount && money->currency != amount->currency) {
    problems.add(path, "is in " + money->currency + " but amount is in " + amount->currency);
  }
}

}  // namespace

std::optional<ChargeRequest> readChargeRequest(std::string_view json, bool isSale, Problems& problems) {
  auto req = readObject(json, problems);
  if (!req) return std::nullopt;
  if (isSale) {
    req->rejectUnknown({"payment_id", "order_id", "amount", "amount_tendered", "payment_method", "customer",
                        "description", "return_url", "metadata", "provider_data"});
    req->money("amount_tendered", Need::Optional, 0);  // cash's field: checked, not used
  } else {
    req->rejectUnknown({"payment_id", "order_id", "amount", "payment_method", "customer", "description", "return_url",
                        "metadata", "provider_data"});
  }
  ChargeRequest out;
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  out.orderId = req->string("order_id", Need::Optional, 1, 200);
  if (auto method = req->object("payment_method", Need::Optional)) {
    method->rejectUnknown({"type", "token"});
    out.methodType = method->oneOf("type", Need::Required, {"card", "cash", "wallet", "bank_transfer", "other"});
    out.token = method->string("token", Need::Optional, 0, 500);
  }
  if (auto customer = req->object("customer", Need::Optional)) {
    customer->rejectUnknown({"id", "name", "email"});
    out.customerId = customer->string("id", Need::Optional, 1, 200);
    out.customerName = customer->string("name", Need::Optional, 0, 200);
    out.email = customer->string("email", Need::Optional, 0, 254);
  }
  out.description = req->string("description", Need::Optional, 0, 500);
  req->string("return_url", Need::Optional, 1, 2000);
  checkMetadata(*req);  // reports values that are not strings; the others are kept
  if (auto metadata = req->object("metadata", Need::Optional)) {
    for (const std::string& key : metadata->keys()) {
      const Poco::Dynamic::Var value = metadata->raw()->get(key);
      if (value.isString()) out.metadata[key] = value.extract<std::string>();
    }
  }
  if (auto data = req->object("provider_data", Need::Optional)) out.providerData = data->raw();
  if (!problems.empty()) return std::nullopt;
  out.paymentId = *paymentId;
  out.amount = *amount;
  return out;
}

std::optional<CaptureRequest> readCaptureRequest(std::string_view json, Problems& problems) {
  auto req = readObject(json, problems);
  if (!req) return std::nullopt;
  req->rejectUnknown({"payment_id", "capture_id", "amount", "authorized_amount", "captured_amount", "final_capture",
                      "provider_reference", "provider_data", "metadata"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  req->string("capture_id", Need::Optional, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  auto authorized = req->money("authorized_amount", Need::Required, 1);
  auto captured = req->money("captured_amount", Need::Optional, 0);
  auto finalCapture = req->boolean("final_capture", Need::Optional);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  checkMetadata(*req);
  sameCurrency(authorized, amount, req->pathOf("authorized_amount"), problems);
  sameCurrency(captured, amount, req->pathOf("captured_amount"), problems);
  if (!problems.empty()) return std::nullopt;
  return CaptureRequest{
      *paymentId, *amount,    *authorized, captured.value_or(Money{0, amount->currency}), finalCapture.value_or(true),
      *reference, data->raw()};
}

std::optional<VoidRequest> readVoidRequest(std::string_view json, Problems& problems) {
  auto req = readObject(json, problems);
  if (!req) return std::nullopt;
  req->rejectUnknown({"payment_id", "authorized_amount", "reason", "provider_reference", "provider_data", "metadata"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto authorized = req->money("authorized_amount", Need::Optional, 1);
  req->string("reason", Need::Optional, 0, 500);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  checkMetadata(*req);
  if (!problems.empty()) return std::nullopt;
  return VoidRequest{*paymentId, authorized, *reference, data->raw()};
}

bool RefundRequest::withinCaptured() const {
  return refundedAmount.value <= capturedAmount.value && amount.value <= capturedAmount.value - refundedAmount.value;
}

std::optional<RefundRequest> readRefundRequest(std::string_view json, Problems& problems) {
  auto req = readObject(json, problems);
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
  checkMetadata(*req);
  sameCurrency(captured, amount, req->pathOf("captured_amount"), problems);
  sameCurrency(refunded, amount, req->pathOf("refunded_amount"), problems);
  if (!problems.empty()) return std::nullopt;
  return RefundRequest{*paymentId, *refundId,  *amount,    *captured, refunded.value_or(Money{0, amount->currency}),
                       reason,     *reference, data->raw()};
}

std::optional<SyncRequest> readSyncRequest(std::string_view json, Problems& problems) {
  auto req = readObject(json, problems);
  if (!req) return std::nullopt;
  req->rejectUnknown({"payment_id", "refund_id", "provider_reference", "provider_data"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto refundId = req->string("refund_id", Need::Optional, 1, 200);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  if (!problems.empty()) return std::nullopt;
  return SyncRequest{*paymentId, refundId, *reference, data->raw()};
}

}  // namespace ordersvc::plugins::common
