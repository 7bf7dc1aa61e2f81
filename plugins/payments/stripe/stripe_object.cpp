#include "payments/stripe/stripe_object.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "common/json_reader.h"

namespace ordersvc::plugins::stripe {

std::optional<StripeObject> StripeObject::parse(std::string_view text) {
  common::Problems ignored;  // the caller reports an unreadable answer in its own words
  Poco::JSON::Object::Ptr root = common::parseObject(text, ignored);
  if (!root) return std::nullopt;
  return StripeObject(root);
}

std::optional<std::string> StripeObject::string(const std::string& key) const {
  if (!object_->has(key)) return std::nullopt;
  const Poco::Dynamic::Var value = object_->get(key);
  if (!value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

std::optional<std::string> StripeObject::id(const std::string& key, std::size_t maxLength) const {
  auto value = string(key);
  if (!value || value->empty() || value->size() > maxLength) return std::nullopt;
  return value;
}

std::optional<int64_t> StripeObject::integer(const std::string& key) const {
  if (!object_->has(key)) return std::nullopt;
  return common::toInt64(object_->get(key));
}

std::optional<bool> StripeObject::boolean(const std::string& key) const {
  if (!object_->has(key)) return std::nullopt;
  const Poco::Dynamic::Var value = object_->get(key);
  if (value.type() != typeid(bool)) return std::nullopt;
  return value.extract<bool>();
}

std::optional<StripeObject> StripeObject::object(const std::string& key) const {
  Poco::JSON::Object::Ptr child = object_->getObject(key);
  if (!child) return std::nullopt;
  return StripeObject(child);
}

std::vector<StripeObject> StripeObject::objects(const std::string& key) const {
  std::vector<StripeObject> out;
  Poco::JSON::Array::Ptr array = object_->getArray(key);
  if (!array) return out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (Poco::JSON::Object::Ptr child = array->getObject(static_cast<unsigned>(i))) out.emplace_back(child);
  }
  return out;
}

}  // namespace ordersvc::plugins::stripe
