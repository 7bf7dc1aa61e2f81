// MercadoPago's REST API over the host's osp.http/1: the base URL, the bearer token
// (flagged secret, so the host masks it in every log) and the X-Idempotency-Key header
// MercadoPago takes on every call that changes something, so a retry with the same key
// returns the first answer instead of charging or refunding twice.
//
// Threading: [any-thread]. Holds only the immutable configuration.
#pragma once

#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "common/provider_http.h"
#include "osp/sdk/plugin.hpp"
#include "payments/mercadopago/mercadopago_config.h"

namespace ordersvc::plugins::mercadopago {

inline constexpr std::string_view kApiBase = "https://api.mercadopago.com";

// One exchange with MercadoPago, read as far as the payment operations need.
struct MpReply {
  common::Transport transport = common::Transport::NotSent;
  int status = 0;                // HTTP status when answered
  Poco::JSON::Object::Ptr body;  // the answer when it is a JSON object, else null
  std::string error;             // why, when not answered

  bool answered() const { return transport == common::Transport::Answered; }
  // A 2xx answer whose body is a JSON object: the only kind whose content counts.
  bool ok() const { return answered() && status >= 200 && status < 300 && !body.isNull(); }
};

class MercadoPagoClient {
 public:
  explicit MercadoPagoClient(const MercadoPagoConfig& config) : config_(config) {}

  // GET <kApiBase><pathAndQuery>.
  MpReply get(const osp::sdk::Call& call, std::string_view pathAndQuery) const;
  // POST / PUT with a JSON body (none when `body` is null: MercadoPago reads an empty
  // refund body as "refund everything") and X-Idempotency-Key: `idempotencyKey`.
  MpReply post(const osp::sdk::Call& call, std::string_view path, const Poco::JSON::Object::Ptr& body,
               std::string_view idempotencyKey) const;
  MpReply put(const osp::sdk::Call& call, std::string_view path, const Poco::JSON::Object::Ptr& body,
              std::string_view idempotencyKey) const;

 private:
  MpReply send(const osp::sdk::Call& call, std::string_view method, std::string_view path,
               const Poco::JSON::Object::Ptr& body, std::string_view idempotencyKey) const;

  const MercadoPagoConfig& config_;
};

}  // namespace ordersvc::plugins::mercadopago
