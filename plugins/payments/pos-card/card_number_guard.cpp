#include "payments/pos-card/card_number_guard.h"

#include <Poco/JSON/Array.h>

#include "common/problems.h"

namespace ordersvc::plugins::pos_card {

namespace {

constexpr int kCardNumberDigits = 13;

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<std::string> findIn(const Poco::Dynamic::Var& value, const std::string& path);

std::optional<std::string> findInObject(const Poco::JSON::Object::Ptr& object, const std::string& path,
                                        std::initializer_list<std::string_view> skip) {
  for (const std::string& key : object->getNames()) {
    bool skipped = false;
    for (std::string_view name : skip) skipped = skipped || key == name;
    if (skipped) continue;
    const std::string memberPath = common::pointerTo(path, key);
    if (looksLikeCardNumber(key)) return memberPath;
    if (auto found = findIn(object->get(key), memberPath)) return found;
  }
  return std::nullopt;
}

std::optional<std::string> findIn(const Poco::Dynamic::Var& value, const std::string& path) {
  if (value.isString()) {
    return looksLikeCardNumber(value.extract<std::string>()) ? std::optional<std::string>(path) : std::nullopt;
  }
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    return findInObject(value.extract<Poco::JSON::Object::Ptr>(), path, {});
  }
  if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    const Poco::JSON::Array::Ptr array = value.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (auto found = findIn(array->get(static_cast<unsigned>(i)), common::pointerTo(path, i))) return found;
    }
  }
  // Numbers too could carry one, but no field a person types is a JSON number.
  return std::nullopt;
}

}  // namespace

bool looksLikeCardNumber(std::string_view text) {
  int digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (isDigit(c)) {
      if (++digits >= kCardNumberDigits) return true;
    } else if ((c == ' ' || c == '-') && digits > 0 && i + 1 < text.size() && isDigit(text[i + 1])) {
      continue;  // one separator between digit groups keeps the run going
    } else {
      digits = 0;
    }
  }
  return false;
}

std::optional<std::string> findCardNumber(const Poco::JSON::Object::Ptr& request,
                                          std::initializer_list<std::string_view> skip) {
  if (request.isNull()) return std::nullopt;
  return findInObject(request, "", skip);
}

}  // namespace ordersvc::plugins::pos_card
