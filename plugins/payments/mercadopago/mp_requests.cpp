#include "payments/mercadopago/mp_requests.h"

#include "common/json_reader.h"

namespace ordersvc::plugins::mercadopago {

using common::JsonObjectReader;
using common::Money;
using common::Need;

namespace {

std::optional<JsonObjectReader> readTop(std::string_view json, common::Problems& problems) {
  Poco::JSON::Object::Ptr root = common::parseObject(json, problems);
  if (!root) return std::nullopt;
  return JsonObjectReader(root, "", problems);
}

bool matches(std::string_view text, bool (*allowed)(char), std::size_t minLength, std::size_t maxLength) {
  if (text.size() < minLength || text.size() > maxLength) return false;
  for (char c : text) {
    if (!allowed(c)) return false;
  }
  return true;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isMethodIdChar(char c) { return (c >= 'a' && c <= 'z') || isDigit(c) || c == '_'; }

// `money` must be in `currency`; says so at `path` otherwise.
void sameCurrency(const std::optional<Money>& money, const std::optional<Money>& reference, const std::string& path,
                  common::Problems& problems) {
  if (money && reference && money->currency != reference->currency) {
    problems.add(path, "is in " + money->currency + " but amount is in " + reference->currency);
  }
}

void readMercadoPagoMetadata(const JsonObjectReader& request, ChargeRequest& out) {
  common::checkMetadata(request);
  auto metadata = request.object("metadata", Need::Optional);
  if (!metadata) return;
  common::Problems& problems = request.problems();
  if (auto method = metadata->string("mp_payment_method_id", Need::Optional)) {
    if (matches(*method, isMethodIdChar, 1, 50)) {
      out.paymentMethodId = *method;
    } else {
      problems.add(metadata->pathOf("mp_payment_method_id"), "must be 1 to 50 of a-z, 0-9 and _ (\"visa\")");
    }
  }
  if (auto installments = metadata->string("installments", Need::Optional)) {
    if (matches(*installments, isDigit, 1, 2) && *installments != "0" && *installments != "00") {
      out.installments = std::stoll(*installments);
    } else {
      problems.add(metadata->pathOf("installments"), "must be a whole number from 1 to 99");
    }
  }
  if (auto issuer = metadata->string("mp_issuer_id", Need::Optional)) {
    if (matches(*issuer, isDigit, 1, 20)) {
      out.issuerId = *issuer;
    } else {
      problems.add(metadata->pathOf("mp_issuer_id"), "must be 1 to 20 digits");
    }
  }
}

}  // namespace

std::optional<ChargeRequest> readChargeRequest(std::string_view json, bool isSale, common::Problems& problems) {
  auto req = readTop(json, problems);
  if (!req) return std::nullopt;
  if (isSale) {
    req->rejectUnknown({"payment_id", "order_id", "amount", "amount_tendered", "payment_method", "customer",
                        "description", "return_url", "metadata", "provider_data"});
    req->money("amount_tendered", Need::Optional, 0);  // cash only; checked, then ignored
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
    if (auto type = method->oneOf("type", Need::Required, {"card", "cash", "wallet", "bank_transfer", "other"});
        type && *type != "card") {
      problems.add(method->pathOf("type"), "must be \"card\": the plugin charges MercadoPago card tokens");
    }
    out.token = method->string("token", Need::Optional, 1, 500);
  }
  if (auto customer = req->object("customer", Need::Optional)) {
    customer->rejectUnknown({"id", "name", "email"});
    customer->string("id", Need::Optional, 1, 200);
    customer->string("name", Need::Optional, 0, 200);
    out.email = customer->string("email", Need::Optional, 3, 254);
  }
  out.description = req->string("description", Need::Optional, 0, 500);
  req->string("return_url", Need::Optional, 1, 2000);
  readMercadoPagoMetadata(*req, out);
  if (auto data = req->object("provider_data", Need::Optional)) out.providerData = data->raw();
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
  common::checkMetadata(*req);
  sameCurrency(authorized, amount, req->pathOf("authorized_amount"), problems);
  sameCurrency(captured, amount, req->pathOf("captured_amount"), problems);
  if (!problems.empty()) return std::nullopt;
  return CaptureRequest{*paymentId, *amount,     *authorized, captured.value_or(Money{0, amount->currency}),
                        *reference, data->raw()};
}

std::optional<VoidRequest> readVoidRequest(std::string_view json, common::Problems& problems) {
  auto req = readTop(json, problems);
  if (!req) return std::nullopt;
  req->rejectUnknown({"payment_id", "authorized_amount", "reason", "provider_reference", "provider_data", "metadata"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto authorized = req->money("authorized_amount", Need::Optional, 1);
  req->string("reason", Need::Optional, 0, 500);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  common::checkMetadata(*req);
  if (!problems.empty()) return std::nullopt;
  return VoidRequest{*paymentId, authorized, *reference, data->raw()};
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
  req->string("reason", Need::Optional, 0, 500);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  common::checkMetadata(*req);
  sameCurrency(captured, amount, req->pathOf("captured_amount"), problems);
  sameCurrency(refunded, amount, req->pathOf("refunded_amount"), problems);
  if (!problems.empty()) return std::nullopt;
  return RefundRequest{*paymentId, *refundId, *amount, *captured, refunded.value_or(Money{0, amount->currency}),
                       *reference, data->raw()};
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
  return SyncRequest{*paymentId, refundId, *reference, data->raw()};
}

}  // namespace ordersvc::plugins::mercadopago
