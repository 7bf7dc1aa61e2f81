#include "payments/pos-card/pos_card_instance.h"

#include <string>

#include "common/json_reader.h"
#include "common/json_writer.h"
#include "common/payment_requests.h"
#include "common/sdk_glue.h"
#include "common/stable_hash.h"
#include "payments/pos-card/card_number_guard.h"
#include "payments/pos-card/terminal_authorization.h"

namespace ordersvc::plugins::pos_card {

using common::JsonObjectReader;
using common::Money;
using common::Need;
using osp::sdk::Result;

namespace {

constexpr std::string_view kPaymentKind = "card_present";
constexpr std::string_view kRefundKind = "card_present_refund";

// OSP_E_INVALID_ARGUMENT when anything in `request` (other than the host's ids and the
// plugin's own provider_data) looks like a card number. The message names where, never
// what: the number must not travel further, not even into a log line.
std::optional<Result> refuseCardNumbers(std::string_view request) {
  common::Problems ignored;  // a request that is not JSON is refused by its reader
  const Poco::JSON::Object::Ptr root = common::parseObject(request, ignored);
  auto where = findCardNumber(root, {"payment_id", "order_id", "refund_id", "capture_id", "provider_data"});
  if (!where) return std::nullopt;
  return Result::error(OSP_E_INVALID_ARGUMENT, "request.card_number",
                       "the value at " + *where +
                           " looks like a card number: card numbers must never reach the service; send the "
                           "terminal's authorization code and at most the card's last 4 digits");
}

Result answer(std::string_view status, const Money& amount, const std::string& reference,
              const Poco::JSON::Object::Ptr& data, const Poco::JSON::Object::Ptr& gatewayError = nullptr) {
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("status", std::string(status));
  out->set("amount", common::moneyJson(amount));
  out->set("provider_reference", reference);
  out->set("provider_data", data);
  if (!gatewayError.isNull()) out->set("gateway_error", gatewayError);
  return Result::ok(common::toJson(out));
}

Result declined(const Money& amount, const std::string& reference, const Poco::JSON::Object::Ptr& data,
                const std::string& code, const std::string& message) {
  return answer("declined", amount, reference, data, common::providerErrorJson(code, message));
}

// What sale or authorize recorded in provider_data.
struct Recorded {
  Poco::JSON::Object::Ptr data;  // a copy, to update
  std::string state;
  Money amount;
  Money captured;
};

std::optional<Recorded> readRecorded(const Poco::JSON::Object::Ptr& data, common::Problems& problems) {
  const JsonObjectReader reader(data, "/provider_data", problems);
  auto kind = reader.string("kind", Need::Required);
  auto state = reader.oneOf("state", Need::Required, {"authorized", "partially_captured", "captured", "voided"});
  auto amount = reader.money("amount", Need::Required, 1);
  auto captured = reader.money("captured_amount", Need::Required, 0);
  if (kind && *kind != kPaymentKind) problems.add(reader.pathOf("kind"), "must be \"card_present\"");
  if (!problems.empty()) return std::nullopt;
  Poco::JSON::Object::Ptr copy = common::makeObject();
  for (const auto& key : data->getNames()) copy->set(key, data->get(key));
  return Recorded{copy, *state, *amount, *captured};
}

Result notRecordedByThisPlugin(const common::Problems& problems) {
  return Result::invalid("provider_data was not recorded by the pos-card plugin: " + problems.summary());
}

// "pos_<terminal>_<code>_<8 hex>": readable on a receipt, and the same for every retry of
// one sale (the hex comes from the idempotency key, or the payment id without one).
std::string saleReference(const osp::sdk::Call& call, const TerminalAuthorization& terminal,
                          const std::string& paymentId) {
  const std::string basis = common::idempotencyBasis(call, paymentId);
  return "pos_" + (terminal.terminalId ? *terminal.terminalId + "_" : std::string()) + terminal.code + "_" +
         common::hex16(common::fnv1a64(basis)).substr(0, 8);
}

}  // namespace

Result PosCardInstance::sale(const osp::sdk::Call& call, std::string_view request) {
  return record(call, request, true);
}

Result PosCardInstance::authorize(const osp::sdk::Call& call, std::string_view request) {
  return record(call, request, false);
}

Result PosCardInstance::record(const osp::sdk::Call& call, std::string_view request, bool captured) const {
  if (auto refused = refuseCardNumbers(request)) return *refused;
  common::Problems problems;
  auto req = common::readChargeRequest(request, captured, problems);
  if (!req) return common::invalidRequest(problems);
  auto terminal = readTerminalAuthorization(*req, problems);
  if (terminal && config_.requireTerminalId && !terminal->terminalId) {
    problems.add("/metadata/terminal_id", "is required by this instance's configuration");
  }
  if (!problems.empty()) return common::invalidRequest(problems);

  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("kind", std::string(kPaymentKind));
  data->set("state", captured ? "captured" : "authorized");
  data->set("authorization_code", terminal->code);
  if (terminal->terminalId) data->set("terminal_id", *terminal->terminalId);
  if (terminal->cardLast4) data->set("card_last4", *terminal->cardLast4);
  data->set("amount", common::moneyJson(req->amount));
  data->set("captured_amount", common::moneyJson(Money{captured ? req->amount.value : 0, req->amount.currency}));
  data->set("payment_id", req->paymentId);
  return answer("succeeded", req->amount, saleReference(call, *terminal, req->paymentId), data);
}

Result PosCardInstance::capture(const osp::sdk::Call&, std::string_view request) {
  if (auto refused = refuseCardNumbers(request)) return *refused;
  common::Problems problems;
  auto req = common::readCaptureRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  auto recorded = readRecorded(req->providerData, problems);
  if (!recorded) return notRecordedByThisPlugin(problems);
  if (recorded->state == "captured") {
    return declined(req->amount, req->providerReference, recorded->data, "already_captured",
                    "the authorization was captured in full already");
  }
  if (recorded->state == "voided") {
    return declined(req->amount, req->providerReference, recorded->data, "authorization_voided",
                    "the authorization was voided");
  }
  if (req->capturedAmount.value > req->authorizedAmount.value ||
      req->amount.value > req->authorizedAmount.value - req->capturedAmount.value) {
    return Result::error(OSP_E_INVALID_ARGUMENT, "capture.exceeds_authorized",
                         "capture of " + common::formatMoney(req->amount) + " exceeds what is left of the " +
                             common::formatMoney(req->authorizedAmount) + " authorized");
  }
  const Money total{req->capturedAmount.value + req->amount.value, req->amount.currency};
  // A final capture releases the rest, as the terminal's batch settles only what was captured.
  const bool complete = req->finalCapture || total.value == req->authorizedAmount.value;
  recorded->data->set("state", complete ? "captured" : "partially_captured");
  recorded->data->set("captured_amount", common::moneyJson(total));
  return answer("succeeded", req->amount, req->providerReference, recorded->data);
}

Result PosCardInstance::voidPayment(const osp::sdk::Call&, std::string_view request) {
  if (auto refused = refuseCardNumbers(request)) return *refused;
  common::Problems problems;
  auto req = common::readVoidRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  auto recorded = readRecorded(req->providerData, problems);
  if (!recorded) return notRecordedByThisPlugin(problems);
  const Money released{recorded->amount.value - recorded->captured.value, recorded->amount.currency};
  if (recorded->state == "captured") {
    return declined(recorded->captured, req->providerReference, recorded->data, "already_captured",
                    "the payment was captured: refund it instead of voiding it");
  }
  if (recorded->state == "partially_captured") {
    // What was captured stays; the uncaptured rest is released and nothing more can be.
    recorded->data->set("state", "captured");
  } else {
    recorded->data->set("state", "voided");
  }
  return answer("succeeded", released, req->providerReference, recorded->data);
}

Result PosCardInstance::refund(const osp::sdk::Call& call, std::string_view request) {
  if (auto refused = refuseCardNumbers(request)) return *refused;
  common::Problems problems;
  auto req = common::readRefundRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  auto recorded = readRecorded(req->providerData, problems);
  if (!recorded) return notRecordedByThisPlugin(problems);

  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("kind", std::string(kRefundKind));
  data->set("refund_id", req->refundId);
  data->set("payment_reference", req->providerReference);
  data->set("amount", common::moneyJson(req->amount));
  const std::string reference = "pos_refund_" + common::idempotencyBasis(call, req->refundId);
  if (recorded->captured.value == 0) {
    data->set("state", "declined");
    return declined(req->amount, reference, data, "not_captured",
                    "nothing was captured (the payment is " + recorded->state + "): void it instead");
  }
  if (!req->withinCaptured()) {
    data->set("state", "declined");
    const Money left{std::max<int64_t>(req->capturedAmount.value - req->refundedAmount.value, 0), req->amount.currency};
    return declined(req->amount, reference, data, "refund_exceeds_captured",
                    "refund of " + common::formatMoney(req->amount) + " exceeds the " + common::formatMoney(left) +
                        " still refundable of " + common::formatMoney(req->capturedAmount) + " captured");
  }
  data->set("state", "succeeded");
  return answer("succeeded", req->amount, reference, data);
}

Result PosCardInstance::sync(const osp::sdk::Call&, std::string_view request) {
  common::Problems problems;
  auto req = common::readSyncRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  if (req->refundId) {
    const JsonObjectReader reader(req->providerData, "/provider_data", problems);
    auto kind = reader.string("kind", Need::Required);
    auto state = reader.oneOf("state", Need::Required, {"succeeded", "declined"});
    auto amount = reader.money("amount", Need::Required, 1);
    if (kind && *kind != kRefundKind) problems.add(reader.pathOf("kind"), "must be \"card_present_refund\"");
    if (!problems.empty()) return notRecordedByThisPlugin(problems);
    if (*state == "declined") {
      return declined(*amount, req->providerReference, req->providerData, "refund_declined",
                      "the refund was declined when it was asked for");
    }
    return answer("succeeded", *amount, req->providerReference, req->providerData);
  }
  auto recorded = readRecorded(req->providerData, problems);
  if (!recorded) return notRecordedByThisPlugin(problems);
  if (recorded->state == "voided") {
    return declined(recorded->amount, req->providerReference, recorded->data, "authorization_voided",
                    "the authorization was voided");
  }
  const bool anyCaptured = recorded->state != "authorized";
  return answer("succeeded", anyCaptured ? recorded->captured : recorded->amount, req->providerReference,
                recorded->data);
}

}  // namespace ordersvc::plugins::pos_card
