#include "payments/pos-card/terminal_authorization.h"

namespace ordersvc::plugins::pos_card {

namespace {

bool isUpperOrDigit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool isTerminalChar(char c) {
  return isUpperOrDigit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

bool matches(const std::string& text, bool (*allowed)(char), std::size_t minLength, std::size_t maxLength) {
  if (text.size() < minLength || text.size() > maxLength) return false;
  for (char c : text) {
    if (!allowed(c)) return false;
  }
  return true;
}

std::optional<std::string> metadataValue(const common::ChargeRequest& request, const char* key) {
  auto it = request.metadata.find(key);
  return it == request.metadata.end() ? std::nullopt : std::optional<std::string>(it->second);
}

}  // namespace

std::optional<TerminalAuthorization> readTerminalAuthorization(const common::ChargeRequest& request,
                                                               common::Problems& problems) {
  TerminalAuthorization out;
  if (request.methodType && *request.methodType != "card") {
    problems.add("/payment_method/type", "must be \"card\" for a card-present payment");
  }
  if (!request.token || request.token->empty()) {
    problems.add("/payment_method/token", "is required: the terminal's authorization code");
  } else {
    out.code = *request.token;
    for (char& c : out.code) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (!matches(out.code, isUpperOrDigit, 4, 12)) {
      problems.add("/payment_method/token", "must be an authorization code of 4 to 12 letters and digits");
    }
  }
  out.terminalId = metadataValue(request, "terminal_id");
  if (out.terminalId && !matches(*out.terminalId, isTerminalChar, 1, 32)) {
    problems.add("/metadata/terminal_id", "must be 1 to 32 of A-Z, a-z, 0-9, '-' and '_'");
  }
  out.cardLast4 = metadataValue(request, "card_last4");
  if (out.cardLast4 && !matches(*out.cardLast4, isDigit, 4, 4)) {
    problems.add("/metadata/card_last4", "must be exactly the last 4 digits of the card");
  }
  if (!problems.empty()) return std::nullopt;
  return out;
}

}  // namespace ordersvc::plugins::pos_card
