#include "payments/cash/cash_instance.h"

#include <string>

#include "common/json_reader.h"
#include "common/json_writer.h"
#include "common/sdk_glue.h"
#include "payments/cash/cash_rounding.h"

namespace ordersvc::plugins::cash {

using common::JsonObjectReader;
using common::Money;
using common::Need;
using osp::sdk::Result;

namespace {

constexpr std::string_view kStatuses[] = {"succeeded", "pending",       "action_required",
                                          "declined",  "not_submitted", "unknown"};

// Reads a request's top level, or reports why it cannot.
std::optional<JsonObjectReader> readRequest(std::string_view request, common::Problems& problems) {
  Poco::JSON::Object::Ptr root = common::parseObject(request, problems);
  if (!root) return std::nullopt;
  return JsonObjectReader(root, "", problems);
}

Result currencyMismatch(const Money& expected, const Money& got, std::string_view field) {
  return Result::invalid(std::string(field) + " is in " + got.currency + " but amount is in " + expected.currency);
}

}  // namespace

Result CashInstance::sale(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = readRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"payment_id", "order_id", "amount", "amount_tendered", "payment_method", "customer",
                      "description", "return_url", "metadata", "provider_data"});
  auto paymentId = req->string("payment_id", Need::Required, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  // Required for cash although the schema lets other gateways omit it.
  auto tendered = req->money("amount_tendered", Need::Required, 0);
  if (auto method = req->object("payment_method", Need::Optional)) {
    method->rejectUnknown({"type", "token"});
    if (auto type = method->string("type", Need::Required); type && *type != "cash") {
      problems.add(method->pathOf("type"), "must be \"cash\" for the cash plugin");
    }
    method->string("token", Need::Optional, 0, 500);
  }
  // Fields the till does not use are still checked: a request that breaks its schema is
  // refused whole, not half-read.
  req->string("order_id", Need::Optional, 1, 200);
  if (auto customer = req->object("customer", Need::Optional)) {
    customer->rejectUnknown({"id", "name", "email"});
    customer->string("id", Need::Optional, 1, 200);
    customer->string("name", Need::Optional, 0, 200);
    customer->string("email", Need::Optional, 0, 254);
  }
  req->string("description", Need::Optional, 0, 500);
  req->string("return_url", Need::Optional, 1, 2000);
  common::checkMetadata(*req);
  req->object("provider_data", Need::Optional);
  if (!problems.empty()) return common::invalidRequest(problems);
  if (tendered->currency != amount->currency) return currencyMismatch(*amount, *tendered, "amount_tendered");

  const auto rounded = roundForCash(amount->value, config_.smallestCoinFor(amount->currency));
  if (!rounded) return Result::invalid("amount is too large");
  const Money due{rounded->due, amount->currency};
  const Money adjustment{rounded->adjustment, amount->currency};
  const std::string reference = "cash_" + common::idempotencyBasis(call, *paymentId);

  // Everything about the sale goes into provider_data: sync and refund read it back.
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("kind", "sale");
  data->set("payment_id", *paymentId);
  data->set("amount", common::moneyJson(due));
  data->set("amount_tendered", common::moneyJson(*tendered));
  data->set("rounding_adjustment", common::moneyJson(adjustment));

  Poco::JSON::Object::Ptr out = common::makeObject();
  if (tendered->value < due.value) {
    // A business outcome, not an error: the cashier asks for more and tries again.
    Poco::JSON::Object::Ptr error =
        common::providerErrorJson("insufficient_tender", "tendered " + common::formatMoney(*tendered) +
                                                             " is less than the " + common::formatMoney(due) + " due");
    data->set("state", "declined");
    data->set("gateway_error", error);
    out->set("status", "declined");
    out->set("amount", common::moneyJson(due));
    out->set("provider_reference", reference);
    out->set("gateway_error", error);
  } else {
    const Money change{tendered->value - due.value, amount->currency};
    data->set("state", "succeeded");
    data->set("change", common::moneyJson(change));
    out->set("status", "succeeded");
    out->set("amount", common::moneyJson(due));
    out->set("provider_reference", reference);
    out->set("change", common::moneyJson(change));
  }
  out->set("rounding_adjustment", common::moneyJson(adjustment));
  out->set("provider_data", data);
  return Result::ok(common::toJson(out));
}

Result CashInstance::refund(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  auto req = readRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"payment_id", "refund_id", "amount", "captured_amount", "refunded_amount", "reason",
                      "provider_reference", "provider_data", "metadata"});
  auto refundId = req->string("refund_id", Need::Required, 1, 200);
  req->string("payment_id", Need::Required, 1, 200);
  auto amount = req->money("amount", Need::Required, 1);
  auto captured = req->money("captured_amount", Need::Required, 1);
  auto refunded = req->money("refunded_amount", Need::Optional, 0);
  auto paymentReference = req->string("provider_reference", Need::Required, 1, 200);
  auto paymentData = req->object("provider_data", Need::Required);
  req->string("reason", Need::Optional, 0, 500);
  common::checkMetadata(*req);
  if (!problems.empty()) return common::invalidRequest(problems);
  if (captured->currency != amount->currency) return currencyMismatch(*amount, *captured, "captured_amount");
  const Money already = refunded.value_or(Money{0, amount->currency});
  if (already.currency != amount->currency) return currencyMismatch(*amount, already, "refunded_amount");

  // Only a sale the till completed can be refunded; provider_data of another plugin (no
  // "state") is left to the host's own checks.
  if (paymentData->has("state")) {
    auto state = paymentData->string("state", Need::Required);
    if (!state) return common::invalidRequest(problems);
    if (*state != "succeeded") {
      return Result::error(OSP_E_INVALID_ARGUMENT, "refund.payment_not_captured",
                           "the payment's recorded state is \"" + *state + "\", not \"succeeded\"");
    }
  }
  if (already.value > captured->value || amount->value > captured->value - already.value) {
    // The host checks this too; reaching here means its books and the request disagree.
    const std::string message =
        "refund of " + common::formatMoney(*amount) + " exceeds the " +
        common::formatMoney(Money{std::max<int64_t>(captured->value - already.value, 0), amount->currency}) +
        " still refundable of " + common::formatMoney(*captured) + " captured";
    call.log(OSP_LOG_WARN, message);
    return Result::error(OSP_E_INVALID_ARGUMENT, "refund.exceeds_captured", message);
  }

  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("kind", "refund");
  data->set("state", "succeeded");
  data->set("refund_id", *refundId);
  data->set("payment_reference", *paymentReference);
  data->set("amount", common::moneyJson(*amount));

  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("status", "succeeded");
  out->set("amount", common::moneyJson(*amount));
  out->set("provider_reference", "cash_refund_" + common::idempotencyBasis(call, *refundId));
  out->set("provider_data", data);
  return Result::ok(common::toJson(out));
}

Result CashInstance::sync(const osp::sdk::Call&, std::string_view request) {
  common::Problems problems;
  auto req = readRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"payment_id", "refund_id", "provider_reference", "provider_data"});
  req->string("payment_id", Need::Required, 1, 200);
  req->string("refund_id", Need::Optional, 1, 200);
  auto reference = req->string("provider_reference", Need::Required, 1, 200);
  auto data = req->object("provider_data", Need::Required);
  if (!problems.empty()) return common::invalidRequest(problems);

  // The till is the only "provider", and what it did is in provider_data; without the
  // fields sale or refund wrote there is nothing to report.
  auto state = data->string("state", Need::Required);
  auto amount = data->money("amount", Need::Required);
  if (state) {
    bool known = false;
    for (std::string_view s : kStatuses) known = known || s == *state;
    if (!known) problems.add(data->pathOf("state"), "is not a result status");
  }
  std::optional<JsonObjectReader> gatewayError;
  if (state && *state == "declined") gatewayError = data->object("gateway_error", Need::Required);
  if (!problems.empty()) {
    return Result::invalid("provider_data was not recorded by the cash plugin: " + problems.summary());
  }

  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("status", *state);
  out->set("amount", common::moneyJson(*amount));
  out->set("provider_reference", *reference);
  if (gatewayError) out->set("gateway_error", gatewayError->raw());
  out->set("provider_data", data->raw());
  return Result::ok(common::toJson(out));
}

}  // namespace ordersvc::plugins::cash
