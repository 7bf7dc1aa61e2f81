#include "platform/http/json_values.h"

#include <ctime>

#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>

#include "domain/money.h"

namespace ordersvc::api {

Poco::Dynamic::Var moneyValue(int64_t minor, const std::string& currency) {
  if (domain::currencyExponent(currency) == 0) return Poco::Dynamic::Var(static_cast<Poco::Int64>(minor));
  // Parsed from the exact decimal text, so the double is the nearest to it and prints back
  // as that text.
  return Poco::Dynamic::Var(Poco::NumberParser::parseFloat(domain::formatMajorUnits(minor, currency)));
}

std::string rfc3339(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buffer, static_cast<int>(ms % 1000));
  return out;
}

Poco::Dynamic::Var parsedJson(const std::optional<std::string>& json) {
  if (!json || json->empty()) return Poco::Dynamic::Var();
  return Poco::JSON::Parser().parse(*json);
}

}  // namespace ordersvc::api
