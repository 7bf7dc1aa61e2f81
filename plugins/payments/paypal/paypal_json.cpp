#include "payments/paypal/paypal_json.h"

#include "common/json_reader.h"

namespace ordersvc::plugins::paypal {

Poco::JSON::Object::Ptr parseAnswer(const std::string& text) {
  common::Problems ignored;  // the caller turns a null answer into its own outcome
  return common::parseObject(text, ignored);
}

std::string stringOf(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  if (!object) return {};
  const Poco::Dynamic::Var value = object->get(key);
  return value.isString() ? value.toString() : std::string();
}

Poco::JSON::Object::Ptr objectOf(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  return object ? object->getObject(key) : nullptr;
}

bool isPaypalId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string cutUtf8(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace ordersvc::plugins::paypal
