// Small adapters between plugins/common/ and the C++ SDK (osp/sdk/plugin.hpp).
#pragma once

#include <string>

#include "common/problems.h"
#include "common/stable_hash.h"
#include "osp/sdk/plugin.hpp"

namespace ordersvc::plugins::common {

// Configuration problems in the shape validate_config reports them.
inline osp::sdk::Validation toValidation(const Problems& problems) {
  osp::sdk::Validation out;
  for (const Problem& p : problems.list()) out.push_back(osp::sdk::ConfigProblem{p.path, p.message});
  return out;
}

// OSP_E_INVALID_ARGUMENT naming every problem of a request.
inline osp::sdk::Result invalidRequest(const Problems& problems) {
  return osp::sdk::Result::invalid("request breaks its schema: " + problems.summary());
}

// The key that makes a retry produce the same provider reference: the call's idempotency
// key, or `fallback` (the host's id of the object) when the host sent none. Anything
// longer than 100 bytes becomes "h" and its 16-digit hash, so references built from it
// ("cash_<basis>") stay within the schemas' 200-character identifiers.
inline std::string idempotencyBasis(const osp::sdk::Call& call, const std::string& fallback) {
  const std::string_view key = call.idempotencyKey();
  const std::string basis = key.empty() ? fallback : std::string(key);
  return basis.size() <= 100 ? basis : "h" + hex16(fnv1a64(basis));
}

}  // namespace ordersvc::plugins::common
