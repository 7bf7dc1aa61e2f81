#include "payments/mercadopago/mp_payment_view.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>

#include "payments/mercadopago/mp_decimal.h"

namespace ordersvc::plugins::mercadopago {

namespace {

std::string stringMember(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (!object->has(key)) return {};
  const Poco::Dynamic::Var value = object->get(key);
  return value.isString() ? value.extract<std::string>() : std::string();
}

std::optional<common::Money> moneyMember(const Poco::JSON::Object::Ptr& object, const std::string& key,
                                         const std::string& currency) {
  if (!object->has(key)) return std::nullopt;
  auto minor = toMinorUnits(object->get(key), currency);
  if (!minor) return std::nullopt;
  return common::Money{*minor, currency};
}

}  // namespace

std::optional<std::string> readId(const Poco::Dynamic::Var& value) {
  try {
    if (value.isInteger()) return value.convert<std::string>();
    if (!value.isString()) return std::nullopt;
    const std::string text = value.extract<std::string>();
    if (text.empty() || text.size() > 100) return std::nullopt;
    for (char c : text) {
      const bool allowed =
          (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
      if (!allowed) return std::nullopt;
    }
    return text;
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

std::optional<int64_t> parseIsoTimeMs(const std::string& text) {
  Poco::DateTime time;
  int offsetSeconds = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, time, offsetSeconds)) {
    return std::nullopt;
  }
  time.makeUTC(offsetSeconds);
  return time.timestamp().epochMicroseconds() / 1000;
}

std::optional<MpPayment> readPayment(const Poco::JSON::Object::Ptr& body, std::string_view currency) {
  if (body.isNull() || !body->has("id")) return std::nullopt;
  MpPayment out;
  auto id = readId(body->get("id"));
  out.status = stringMember(body, "status");
  if (!id || out.status.empty()) return std::nullopt;
  out.id = *id;
  out.statusDetail = stringMember(body, "status_detail");
  out.currency = stringMember(body, "currency_id");
  if (!common::isCurrencyCode(out.currency)) out.currency = std::string(currency);
  out.amount = moneyMember(body, "transaction_amount", out.currency);
  out.refundedTotal = moneyMember(body, "transaction_amount_refunded", out.currency);
  if (auto threeDs = body->getObject("three_ds_info")) {
    const std::string url = stringMember(threeDs, "external_resource_url");
    if (url.rfind("https://", 0) == 0) out.challengeUrl = url;
  }
  out.updatedAtMs = parseIsoTimeMs(stringMember(body, "date_last_updated"));
  if (auto refunds = body->getArray("refunds")) {
    for (std::size_t i = 0; i < refunds->size(); ++i) {
      if (auto refund = readRefund(refunds->getObject(static_cast<unsigned>(i)), out.currency)) {
        out.refunds.push_back(std::move(*refund));
      }
    }
  }
  return out;
}

std::optional<MpRefund> readRefund(const Poco::JSON::Object::Ptr& body, std::string_view currency) {
  if (body.isNull() || !body->has("id")) return std::nullopt;
  auto id = readId(body->get("id"));
  if (!id) return std::nullopt;
  MpRefund out;
  out.id = *id;
  out.status = stringMember(body, "status");
  out.amount = moneyMember(body, "amount", std::string(currency));
  return out;
}

}  // namespace ordersvc::plugins::mercadopago
