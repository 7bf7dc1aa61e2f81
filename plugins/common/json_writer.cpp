#include "common/json_writer.h"

#include <sstream>

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSONString.h>
#include <Poco/Timestamp.h>

namespace ordersvc::plugins::common {

Poco::JSON::Object::Ptr makeObject() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

Poco::JSON::Array::Ptr makeArray() {
  return new Poco::JSON::Array();
}

Poco::JSON::Object::Ptr moneyJson(const Money& money) {
  Poco::JSON::Object::Ptr out = makeObject();
  out->set("value", static_cast<Poco::Int64>(money.value));
  out->set("currency", money.currency);
  return out;
}

std::string toJson(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

Poco::JSON::Object::Ptr providerErrorJson(const std::string& code, const std::string& message) {
  Poco::JSON::Object::Ptr out = makeObject();
  out->set("code", code);
  out->set("message", message);
  return out;
}

std::string formatUtc(int64_t unixMs) {
  const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(unixMs) * 1000);
  return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace ordersvc::plugins::common
