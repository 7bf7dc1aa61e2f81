#include "common/raw_webhook.h"

#include <cctype>
#include <sstream>

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Parser.h>

namespace ordersvc::plugins::common {

namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> RawWebhook::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoringCase(key, name)) return value;
  }
  return std::nullopt;
}

std::optional<std::string> RawWebhook::queryParameter(std::string_view name) const {
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string_view pair(query.data() + start, end - start);
    const std::size_t equals = pair.find('=');
    if (pair.substr(0, equals) == name) {
      return equals == std::string_view::npos ? std::string() : std::string(pair.substr(equals + 1));
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<RawWebhook> parseRawWebhook(std::string_view requestJson, Problems& problems) {
  Poco::JSON::Object::Ptr object;
  try {
    object = Poco::JSON::Parser().parse(std::string(requestJson)).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    problems.add("", "must be a JSON object");
    return std::nullopt;
  }
  RawWebhook out;
  try {
    out.method = object->getValue<std::string>("method");
    out.path = object->getValue<std::string>("path");
    out.query = object->optValue<std::string>("query", "");
    const auto headers = object->getArray("headers");
    if (!headers) {
      problems.add("/headers", "is required");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < headers->size(); ++i) {
      const auto header = headers->getObject(static_cast<unsigned>(i));
      if (!header) {
        problems.add("/headers/" + std::to_string(i), "must be an object");
        return std::nullopt;
      }
      out.headers.emplace_back(header->getValue<std::string>("name"), header->getValue<std::string>("value"));
    }
    std::istringstream encoded(object->getValue<std::string>("body_base64"));
    Poco::Base64Decoder decoder(encoded);
    std::ostringstream decoded;
    decoded << decoder.rdbuf();
    out.body = decoded.str();
  } catch (const std::exception& e) {
    problems.add("", std::string("is not a raw webhook: ") + e.what());
    return std::nullopt;
  }
  return out;
}

}  // namespace ordersvc::plugins::common
