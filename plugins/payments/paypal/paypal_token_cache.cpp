#include "payments/paypal/paypal_token_cache.h"

#include <sstream>

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Parser.h>

#include "common/form_encoding.h"
#include "common/hmac.h"
#include "common/json_reader.h"
#include "common/provider_http.h"
#include "payments/paypal/paypal_exchange_timeout.h"

namespace ordersvc::plugins::paypal {

namespace {

osp_str toStr(std::string_view text) {
  return osp_str{text.data(), text.size()};
}

std::string base64(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);  // one line: it goes into a header
  encoder << text;
  encoder.close();
  return out.str();
}

const osp_kv_v1* kvOf(const osp::sdk::Call& call) {
  return call.service<osp_kv_v1>(OSP_SERVICE_KV_V1);
}

std::optional<std::string> readCached(const osp::sdk::Call& call, const std::string& key) {
  const osp_kv_v1* kv = kvOf(call);
  if (kv == nullptr || kv->get == nullptr) return std::nullopt;
  std::optional<std::string> value;
  auto found = [](void* user, osp_bytes bytes, int64_t) {
    static_cast<std::optional<std::string>*>(user)->emplace(reinterpret_cast<const char*>(bytes.ptr), bytes.len);
  };
  if (kv->get(call.host(), call.context(), toStr(key), found, &value) != OSP_OK) return std::nullopt;
  if (value && value->empty()) return std::nullopt;
  return value;
}

void storeCached(const osp::sdk::Call& call, const std::string& key, const std::string& token, int64_t seconds) {
  const osp_kv_v1* kv = kvOf(call);
  if (kv == nullptr || kv->put == nullptr || seconds <= 0) return;
  // A failed put only costs the next call a token request.
  kv->put(call.host(), call.context(), toStr(key),
          osp_bytes{reinterpret_cast<const uint8_t*>(token.data()), token.size()}, seconds);
}

void dropCached(const osp::sdk::Call& call, const std::string& key) {
  const osp_kv_v1* kv = kvOf(call);
  if (kv != nullptr && kv->remove != nullptr) kv->remove(call.host(), call.context(), toStr(key));
}

}  // namespace

TokenCache::TokenCache(const PaypalConfig& config)
    : config_(config), key_("oauth:" + common::sha256Hex(config.environment + "\n" + config.clientId)) {}

int64_t TokenCache::cacheSeconds(int64_t expiresIn) {
  constexpr int64_t kMargin = 300;
  if (expiresIn > 2 * kMargin) return expiresIn - kMargin;
  return expiresIn / 2;
}

TokenOutcome TokenCache::get(const osp::sdk::Call& call) const {
  if (auto cached = readCached(call, key_)) return TokenOutcome{std::move(cached), false, {}};
  return fetch(call);
}

TokenOutcome TokenCache::refresh(const osp::sdk::Call& call) const {
  dropCached(call, key_);
  return fetch(call);
}

TokenOutcome TokenCache::fetch(const osp::sdk::Call& call) const {
  const std::vector<common::HttpHeader> headers = {
      {"Authorization", "Basic " + base64(config_.clientId + ":" + config_.clientSecret), true},
      {"Content-Type", "application/x-www-form-urlencoded", false},
      {"Accept", "application/json", false},
  };
  common::FormBody form;
  form.add("grant_type", "client_credentials");
  const common::HttpOutcome outcome = common::sendHttp(call, "POST", config_.apiBase() + "/v1/oauth2/token", headers,
                                                       form.text(), exchangeTimeoutMs(call));
  TokenOutcome out;
  if (outcome.transport != common::Transport::Answered) {
    out.error = "no OAuth token: " + outcome.error;
    return out;
  }
  const int status = outcome.reply.status;
  if (status == 400 || status == 401 || status == 403) {
    // invalid_client: the configured client id or secret is wrong (or for the other
    // environment). The reply names no secret, but it is not logged either.
    out.authFailed = true;
    out.error = "PayPal refused the client credentials (HTTP " + std::to_string(status) + ")";
    return out;
  }
  if (status != 200) {
    out.error = "no OAuth token: PayPal answered HTTP " + std::to_string(status);
    return out;
  }
  common::Problems problems;
  const Poco::JSON::Object::Ptr body = common::parseObject(outcome.reply.body, problems);
  if (!body) {
    out.error = "no OAuth token: the token endpoint's answer is not a JSON object";
    return out;
  }
  const common::JsonObjectReader reader(body, "", problems);
  auto token = reader.string("access_token", common::Need::Required, 1, 60000);
  auto expiresIn = reader.integer("expires_in", common::Need::Optional, 0);
  if (!token) {
    out.error = "no OAuth token: the token endpoint's answer has no access_token";
    return out;
  }
  if (expiresIn) storeCached(call, key_, *token, cacheSeconds(*expiresIn));
  out.accessToken = std::move(token);
  return out;
}

}  // namespace ordersvc::plugins::paypal
