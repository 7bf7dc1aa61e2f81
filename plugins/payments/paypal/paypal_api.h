// One authenticated call to PayPal's REST API: a bearer token from the TokenCache, the
// JSON headers PayPal expects, and the one retry PayPal's OAuth needs: a 401 means the
// token was revoked or expired early, so the cached token is dropped, a new one fetched
// and the call repeated once. Repeating is safe: a 401 is refused before anything is
// done, and mutating calls carry the same PayPal-Request-Id both times.
//
// Threading: [any-thread]; immutable after construction.
#pragma once

#include <string>

#include "common/provider_http.h"
#include "osp/sdk/plugin.hpp"
#include "payments/paypal/paypal_config.h"
#include "payments/paypal/paypal_token_cache.h"

namespace ordersvc::plugins::paypal {

struct ApiRequest {
  std::string method;     // "GET" or "POST"
  std::string path;       // "/v2/checkout/orders", appended to the environment's base URL
  std::string body;       // JSON text; empty sends no body
  std::string requestId;  // PayPal-Request-Id (idempotency); empty sends none
};

enum class ApiTransport {
  Answered,    // PayPal answered (any status but a repeated 401 or a 403): see reply
  NotSent,     // the call never reached PayPal (no connection, or no token to send it with)
  MaybeSent,   // sent, no answer in time: PayPal may have acted
  AuthFailed,  // PayPal refused the credentials (token endpoint, repeated 401, or 403)
};

struct ApiOutcome {
  ApiTransport transport = ApiTransport::NotSent;
  common::HttpReply reply;  // when Answered
  std::string error;        // why, when not Answered (never a secret)
};

// PayPal's error body ({"name", "message", "details": [{"issue", "description"}]}) read
// for a gateway_error: the first detail's issue ("INSTRUMENT_DECLINED"), else the name,
// else "HTTP <status>"; the message is the detail's description or the top message.
struct PaypalError {
  std::string issue;
  std::string message;
};
PaypalError paypalError(const common::HttpReply& reply);

class PaypalApi {
 public:
  // Both must outlive the PaypalApi (they are members of the same instance).
  PaypalApi(const PaypalConfig& config, const TokenCache& tokens) : config_(config), tokens_(tokens) {}

  ApiOutcome send(const osp::sdk::Call& call, const ApiRequest& request) const;

 private:
  common::HttpOutcome sendWithToken(const osp::sdk::Call& call, const ApiRequest& request,
                                    const std::string& token) const;

  const PaypalConfig& config_;
  const TokenCache& tokens_;
};

}  // namespace ordersvc::plugins::paypal
