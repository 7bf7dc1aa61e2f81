#include "payments/stripe/stripe_api.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "common/provider_http.h"

namespace ordersvc::plugins::stripe {

namespace {

using Kind = StripeReply::Kind;

Kind kindOf(int status) {
  if (status >= 200 && status < 300) return Kind::Object;
  if (status == 402) return Kind::Declined;
  if (status == 401 || status == 403) return Kind::AuthFailed;
  if (status == 409) return Kind::Conflict;
  if (status == 429) return Kind::RateLimited;
  if (status >= 400 && status < 500) return Kind::Refused;
  return Kind::Unreadable;
}

}  // namespace

StripeError readStripeError(const StripeObject& error) {
  StripeError out;
  out.type = error.string("type").value_or("");
  out.code = error.string("code").value_or("");
  out.declineCode = error.string("decline_code").value_or("");
  out.message = error.string("message").value_or("");
  out.paymentIntent = error.object("payment_intent");
  return out;
}

bool isStripeId(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

StripeReply StripeApi::get(const osp::sdk::Call& call, const std::string& pathAndQuery) const {
  return send(call, "GET", pathAndQuery, nullptr, "");
}

StripeReply StripeApi::post(const osp::sdk::Call& call, const std::string& path, const common::FormBody& body,
                            const std::string& idempotencyKey) const {
  return send(call, "POST", path, &body, idempotencyKey);
}

StripeReply StripeApi::send(const osp::sdk::Call& call, std::string_view method, const std::string& path,
                            const common::FormBody* body, const std::string& idempotencyKey) const {
  StripeReply reply;
  const std::string target = std::string(method) + " " + path.substr(0, path.find('?'));
  const std::optional<uint32_t> timeout = common::timeoutBeforeDeadlineMs(call);
  if (!timeout) {
    reply.kind = Kind::NotSent;
    reply.detail = target + ": too little of the call's deadline left to ask Stripe";
    return reply;
  }
  std::vector<common::HttpHeader> headers = {
      {"Authorization", "Bearer " + secretKey_, true},
      {"Stripe-Version", std::string(kStripeApiVersion), false},
      {"Accept", "application/json", false},
  };
  if (body != nullptr) {
    headers.push_back({"Content-Type", "application/x-www-form-urlencoded", false});
    if (!idempotencyKey.empty()) headers.push_back({"Idempotency-Key", idempotencyKey, false});
  }
  const common::HttpOutcome outcome = common::sendHttp(call, method, std::string(kStripeApiBase) + path, headers,
                                                       body != nullptr ? std::string_view(body->text()) : "", *timeout);
  switch (outcome.transport) {
    case common::Transport::NotSent:
      reply.kind = Kind::NotSent;
      reply.detail = target + ": " + outcome.error;
      return reply;
    case common::Transport::MaybeSent:
      reply.kind = Kind::MaybeSent;
      reply.detail = target + ": " + outcome.error;
      return reply;
    case common::Transport::Answered:
      break;
  }
  reply.httpStatus = outcome.reply.status;
  reply.kind = kindOf(outcome.reply.status);
  reply.detail = target + " answered HTTP " + std::to_string(outcome.reply.status);
  std::optional<StripeObject> parsed = StripeObject::parse(outcome.reply.body);
  if (reply.kind == Kind::Object) {
    if (!parsed) {
      reply.kind = Kind::Unreadable;
      reply.detail += " with a body that is not a JSON object";
    }
    reply.object = std::move(parsed);
    return reply;
  }
  if (std::optional<StripeObject> error = parsed ? parsed->object("error") : std::nullopt) {
    reply.error = readStripeError(*error);
    if (!reply.error.code.empty()) reply.detail += " (" + reply.error.code + ")";
  }
  return reply;
}

}  // namespace ordersvc::plugins::stripe
