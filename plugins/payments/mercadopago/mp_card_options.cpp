#include "payments/mercadopago/mp_card_options.h"

#include <string_view>

namespace ordersvc::plugins::mercadopago {

namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isMethodIdChar(char c) {
  return (c >= 'a' && c <= 'z') || isDigit(c) || c == '_';
}

bool matches(std::string_view text, bool (*allowed)(char), std::size_t minLength, std::size_t maxLength) {
  if (text.size() < minLength || text.size() > maxLength) return false;
  for (char c : text) {
    if (!allowed(c)) return false;
  }
  return true;
}

}  // namespace

MpCardOptions readCardOptions(const std::map<std::string, std::string, std::less<>>& metadata,
                              common::Problems& problems) {
  MpCardOptions out;
  if (auto it = metadata.find("mp_payment_method_id"); it != metadata.end()) {
    if (matches(it->second, isMethodIdChar, 1, 50)) {
      out.paymentMethodId = it->second;
    } else {
      problems.add("/metadata/mp_payment_method_id", "must be 1 to 50 of a-z, 0-9 and _ (\"visa\")");
    }
  }
  if (auto it = metadata.find("installments"); it != metadata.end()) {
    if (matches(it->second, isDigit, 1, 2) && std::stoll(it->second) > 0) {
      out.installments = std::stoll(it->second);
    } else {
      problems.add("/metadata/installments", "must be a whole number from 1 to 99");
    }
  }
  if (auto it = metadata.find("mp_issuer_id"); it != metadata.end()) {
    if (matches(it->second, isDigit, 1, 20)) {
      out.issuerId = it->second;
    } else {
      problems.add("/metadata/mp_issuer_id", "must be 1 to 20 digits");
    }
  }
  return out;
}

}  // namespace ordersvc::plugins::mercadopago
