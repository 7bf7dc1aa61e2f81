#include "payments/mercadopago/mp_client.h"

#include <vector>

#include "common/json_reader.h"
#include "common/json_writer.h"

namespace ordersvc::plugins::mercadopago {

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

  MpReply reply;
  const std::optional<uint32_t> timeout = common::timeoutBeforeDeadlineMs(call);
  if (!timeout) {
    reply.error = "too little of the call's deadline left to ask MercadoPago";
    return reply;  // NotSent
  }
  const common::HttpOutcome outcome =
      common::sendHttp(call, method, std::string(kApiBase) + std::string(path), headers, text, *timeout);
  reply.transport = outcome.transport;
  reply.error = outcome.error;
  if (outcome.transport == common::Transport::Answered) {
    reply.status = outcome.reply.status;
    // MercadoPago answers errors as JSON too; anything else (an HTML error page, a
    // cut-off body) leaves `body` null, which callers treat as unreadable.
    common::Problems notJson;
    reply.body = common::parseObject(outcome.reply.body, notJson);
  }
  return reply;
}

}  // namespace ordersvc::plugins::mercadopago
