// What MercadoPago needs to charge a card token beyond the host's card request, which has
// no field for it. It travels in the request's metadata (string values):
//   "mp_payment_method_id"  the card brand id MercadoPago's browser SDK reports with the
//                           token ("visa", "master", "amex"); required with a token
//   "installments"          number of installments, "1" to "99"; default "1"
//   "mp_issuer_id"          the issuer id the browser SDK reports; optional
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/problems.h"

namespace ordersvc::plugins::mercadopago {

struct MpCardOptions {
  std::optional<std::string> paymentMethodId;
  int64_t installments = 1;
  std::optional<std::string> issuerId;
};

// Reads the keys above from `metadata`, adding a problem at /metadata/<key> for each
// malformed value. Other keys are left alone.
MpCardOptions readCardOptions(const std::map<std::string, std::string, std::less<>>& metadata,
                              common::Problems& problems);

}  // namespace ordersvc::plugins::mercadopago
