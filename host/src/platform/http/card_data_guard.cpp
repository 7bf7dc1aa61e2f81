#include "platform/http/card_data_guard.h"

#include <array>
#include <cctype>

#include "platform/http/authenticator.h"

namespace ordersvc::api {

namespace {

bool luhnValid(const std::string& digits) {
  int sum = 0;
  bool doubleIt = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (doubleIt) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    doubleIt = !doubleIt;
  }
  return sum % 10 == 0;
}

// Field names that only card data goes by (compared case-insensitively, quoted as JSON keys).
constexpr std::array<std::string_view, 9> kCardFieldNames = {"\"cvv\"",  "\"cvc\"",           "\"cvv2\"",
                                                             "\"cvc2\"", "\"card_number\"",   "\"cardnumber\"",
                                                             "\"pan\"",  "\"security_code\"", "\"card_cvv\""};

std::string lowerCased(std::string_view text) {
  std::string out(text);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

std::optional<std::string> findCardData(std::string_view body) {
  const std::string lower = lowerCased(body);
  for (const auto name : kCardFieldNames) {
    if (lower.find(name) != std::string::npos) {
      return "card data (" + std::string(name.substr(1, name.size() - 2)) +
             ") must never be sent to this service; send the gateway's token (payment_method_id)";
    }
  }
  // Runs of digits where single spaces or dashes between digits do not break the run.
  std::string digits;
  auto check = [&]() -> bool { return digits.size() >= 13 && digits.size() <= 19 && luhnValid(digits); };
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char ch = body[i];
    if (std::isdigit(static_cast<unsigned char>(ch))) {
      digits.push_back(ch);
      continue;
    }
    const bool separator = (ch == ' ' || ch == '-') && !digits.empty() && i + 1 < body.size() &&
                           std::isdigit(static_cast<unsigned char>(body[i + 1]));
    if (separator) continue;
    if (check()) break;
    digits.clear();
  }
  if (check()) {
    return "the request carries what looks like a card number; card numbers must never be sent to this service, "
           "send the gateway's token (payment_method_id) instead";
  }
  return std::nullopt;
}

Handler refusingCardData(Handler handler) {
  return [handler = std::move(handler)](const Request& request) {
    if (auto why = findCardData(request.body)) return failureResponse(Error::invalidArgument(*why));
    return handler(request);
  };
}

}  // namespace ordersvc::api
