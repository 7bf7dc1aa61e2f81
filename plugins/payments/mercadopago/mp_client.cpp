#include "payments/mercadopago/mp_client.h"

#include <vector>

#include <Poco/JSON/Parser.h>

#include "common/json_writer.h"

namespace ordersvc::plugins::mercadopago {

namespace {

// MercadoPago answers errors as JSON too; anything else (an HTML error page, a cut-off
// body) leaves `body` null, which callers treat as an answer they cannot read.
Poco::JSON::Object::Ptr parseBody(const std::string& text) {
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(text);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
  }
  return nullptr;
}

}  // namespace

MpReply MercadoPagoClient::get(const osp::sdk::Call& call, std::string_view pathAndQuery) const {
  return send(call, "GET", pathAndQuery, nullptr, {});
}

MpReply MercadoPagoClient::post(const osp::sdk::Call& call, std::string_view path, const Poco::JSON::Object::Ptr& body,
                                std::string_view idempotencyKey) const {
  return send(call, "POST", path, body, idempotencyKey);
}

MpReply MercadoPagoClient::put(const osp::sdk::Call& call, std::string_view path, const Poco::JSON::Object::Ptr& body,
                               std::string_view idempotencyKey) const {
  return send(call, "PUT", path, body, idempotencyKey);
}

MpReply MercadoPagoClient::send(const osp::sdk::Call& call, std::string_view method, std::string_view path,
                                const Poco::JSON::Object::Ptr& body, std::string_view idempotencyKey) const {
  std::vector<common::HttpHeader> headers;
  headers.push_back({"Authorization", "Bearer " + config_.accessToken, true});
  headers.push_back({"Accept", "application/json", false});
  if (method != "GET") headers.push_back({"Content-Type", "application/json", false});
  if (!idempotencyKey.empty()) headers.push_back({"X-Idempotency-Key", std::string(idempotencyKey), false});
  const std::string text = body.isNull() ? std::string() : common::toJson(body);

  const common::HttpOutcome outcome =
      common::sendHttp(call, method, std::string(kApiBase) + std::string(path), headers, text,
                       common::timeoutBeforeDeadlineMs(call));
  MpReply reply;
  reply.transport = outcome.transport;
  reply.error = outcome.error;
  if (outcome.transport == common::Transport::Answered) {
    reply.status = outcome.reply.status;
    reply.body = parseBody(outcome.reply.body);
  }
  return reply;
}

}  // namespace ordersvc::plugins::mercadopago
