// The OAuth2 access token of one PayPal REST app (client credentials grant), kept in the
// host's "osp.kv/1" so that calls share it instead of fetching one each: PayPal's tokens
// live about nine hours and the token endpoint is rate-limited.
//
// The key is "oauth:<sha256 of environment and client id>" (a client id is not a secret,
// but the key need not show it); the entry's TTL is the token's expires_in less a safety
// margin, so the store forgets a token before PayPal does. Without osp.kv/1 (the
// conformance kit) every call fetches its own token.
//
// Threading: [any-thread]; immutable after construction. Two calls that miss the cache
// at once both fetch a token and both store one: harmless, both are valid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "osp/sdk/plugin.hpp"
#include "payments/paypal/paypal_config.h"

namespace ordersvc::plugins::paypal {

struct TokenOutcome {
  std::optional<std::string> accessToken;  // set on success
  bool authFailed = false;                 // PayPal refused the credentials (400/401)
  std::string error;                       // why there is no token, for logs; never the secret
};

class TokenCache {
 public:
  explicit TokenCache(const PaypalConfig& config);

  // The cached token, or a new one from POST /v1/oauth2/token (then cached).
  TokenOutcome get(const osp::sdk::Call& call) const;

  // Forgets the cached token and fetches a new one: PayPal refused the old one (401).
  TokenOutcome refresh(const osp::sdk::Call& call) const;

  // The osp.kv/1 key of this app's token ("oauth:" + 64 hex digits).
  const std::string& key() const { return key_; }

  // Seconds to keep a token PayPal says lives `expiresIn` seconds: 5 minutes less, so a
  // call never starts with a token about to expire; half of it for very short lives.
  static int64_t cacheSeconds(int64_t expiresIn);

 private:
  TokenOutcome fetch(const osp::sdk::Call& call) const;

  const PaypalConfig& config_;
  std::string key_;
};

}  // namespace ordersvc::plugins::paypal
