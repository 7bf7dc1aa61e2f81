#include "payments/paypal/paypal_api.h"

#include <Poco/JSON/Array.h>

#include "payments/paypal/paypal_exchange_timeout.h"
#include "payments/paypal/paypal_json.h"

namespace ordersvc::plugins::paypal {

namespace {

ApiOutcome fromTokenFailure(const TokenOutcome& token) {
  ApiOutcome out;
  // Without a token the API call itself was never sent, whatever happened to the token
  // request: nothing can have been charged.
  out.transport = token.authFailed ? ApiTransport::AuthFailed : ApiTransport::NotSent;
  out.error = token.error;
  return out;
}

}  // namespace

PaypalError paypalError(const common::HttpReply& reply) {
  PaypalError out;
  // Not JSON (a proxy's HTML page): the status alone names the error.
  const Poco::JSON::Object::Ptr body = parseAnswer(reply.body);
  if (body) {
    const Poco::JSON::Array::Ptr details = body->getArray("details");
    if (details && details->size() > 0) {
      const Poco::JSON::Object::Ptr first = details->getObject(0);
      out.issue = stringOf(first, "issue");
      out.message = stringOf(first, "description");
    }
    if (out.issue.empty()) out.issue = stringOf(body, "name");
    if (out.issue.empty()) out.issue = stringOf(body, "error");  // OAuth's shape
    if (out.message.empty()) out.message = stringOf(body, "message");
  }
  if (out.issue.empty()) out.issue = "HTTP " + std::to_string(reply.status);
  if (out.message.empty()) out.message = "PayPal answered HTTP " + std::to_string(reply.status);
  return out;
}

common::HttpOutcome PaypalApi::sendWithToken(const osp::sdk::Call& call, const ApiRequest& request,
                                             const std::string& token) const {
  std::vector<common::HttpHeader> headers = {
      {"Authorization", "Bearer " + token, true},
      {"Accept", "application/json", false},
      // The whole resource in the answer, so one call tells the outcome.
      {"Prefer", "return=representation", false},
  };
  if (!request.body.empty()) headers.push_back({"Content-Type", "application/json", false});
  if (!request.requestId.empty()) headers.push_back({"PayPal-Request-Id", request.requestId, false});
  return common::sendHttp(call, request.method, config_.apiBase() + request.path, headers, request.body,
                          exchangeTimeoutMs(call));
}

ApiOutcome PaypalApi::send(const osp::sdk::Call& call, const ApiRequest& request) const {
  TokenOutcome token = tokens_.get(call);
  if (!token.accessToken) return fromTokenFailure(token);
  common::HttpOutcome outcome = sendWithToken(call, request, *token.accessToken);
  if (outcome.transport == common::Transport::Answered && outcome.reply.status == 401) {
    token = tokens_.refresh(call);
    if (!token.accessToken) return fromTokenFailure(token);
    outcome = sendWithToken(call, request, *token.accessToken);
  }

  ApiOutcome out;
  out.error = outcome.error;
  switch (outcome.transport) {
    case common::Transport::NotSent:
      out.transport = ApiTransport::NotSent;
      return out;
    case common::Transport::MaybeSent:
      out.transport = ApiTransport::MaybeSent;
      return out;
    case common::Transport::Answered:
      break;
  }
  out.reply = std::move(outcome.reply);
  if (out.reply.status == 401 || out.reply.status == 403) {
    // A fresh token refused too, or the app lacks the permission: a configuration
    // problem for the merchant, not something a retry fixes.
    out.transport = ApiTransport::AuthFailed;
    out.error = "PayPal refused the credentials for " + request.method + " " + request.path + " (HTTP " +
                std::to_string(out.reply.status) + ")";
    return out;
  }
  out.transport = ApiTransport::Answered;
  return out;
}

}  // namespace ordersvc::plugins::paypal
