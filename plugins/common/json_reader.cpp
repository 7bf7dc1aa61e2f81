#include "common/json_reader.h"

#include <cmath>
#include <typeinfo>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

namespace ordersvc::plugins::common {

namespace {

bool isObject(const Poco::Dynamic::Var& v) {
  return v.type() == typeid(Poco::JSON::Object::Ptr);
}
bool isArray(const Poco::Dynamic::Var& v) {
  return v.type() == typeid(Poco::JSON::Array::Ptr);
}

// Characters as JSON Schema's minLength/maxLength count them (code points), not bytes:
// "Peñalolén" is 9 long. Counts every byte that does not continue a UTF-8 sequence.
std::size_t characters(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

}  // namespace

std::optional<int64_t> toInt64(const Poco::Dynamic::Var& value) {
  try {
    if (value.isInteger()) {
      // Poco keeps values above INT64_MAX as UInt64; convert() throws RangeException for them.
      return value.convert<Poco::Int64>();
    }
    if (value.type() == typeid(double)) {
      // JSON Schema counts 3.0 as an integer. Beyond 2^53 a double no longer holds every
      // integer exactly, so such a value cannot be trusted as money.
      const double d = value.extract<double>();
      if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= 9007199254740992.0) return static_cast<int64_t>(d);
    }
  } catch (const Poco::Exception&) {
  }
  return std::nullopt;
}

JsonObjectReader::JsonObjectReader(Poco::JSON::Object::Ptr object, std::string path, Problems& problems)
    : object_(std::move(object)), path_(std::move(path)), problems_(&problems) {}

void JsonObjectReader::rejectUnknown(std::initializer_list<std::string_view> known) const {
  for (const auto& [name, value] : *object_) {
    bool found = false;
    for (std::string_view k : known) {
      if (k == name) {
        found = true;
        break;
      }
    }
    if (!found) problems_->add(pathOf(name), "is not a known member");
  }
}

bool JsonObjectReader::has(std::string_view key) const {
  return object_->has(std::string(key));
}

std::vector<std::string> JsonObjectReader::keys() const {
  std::vector<std::string> out;
  for (const auto& entry : *object_) out.push_back(entry.first);
  return out;
}

std::optional<Poco::Dynamic::Var> JsonObjectReader::member(std::string_view key, Need need) const {
  const std::string name(key);
  if (!object_->has(name)) {
    if (need == Need::Required) problems_->add(pathOf(key), "is required");
    return std::nullopt;
  }
  return object_->get(name);
}

std::optional<std::string> JsonObjectReader::string(std::string_view key, Need need, std::size_t minLength,
                                                    std::size_t maxLength) const {
  auto v = member(key, need);
  if (!v) return std::nullopt;
  if (!v->isString()) {
    problems_->add(pathOf(key), "must be a string");
    return std::nullopt;
  }
  std::string s = v->extract<std::string>();
  const std::size_t length = characters(s);
  if (length < minLength) {
    problems_->add(pathOf(key), minLength == 1 ? "must not be empty" : "is shorter than " + std::to_string(minLength));
    return std::nullopt;
  }
  if (length > maxLength) {
    problems_->add(pathOf(key), "is longer than " + std::to_string(maxLength) + " characters");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> JsonObjectReader::oneOf(std::string_view key, Need need,
                                                   std::initializer_list<std::string_view> allowed) const {
  auto s = string(key, need);
  if (!s) return std::nullopt;
  for (std::string_view a : allowed) {
    if (a == *s) return s;
  }
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  problems_->add(pathOf(key), "must be one of: " + list);
  return std::nullopt;
}

std::optional<int64_t> JsonObjectReader::integer(std::string_view key, Need need, int64_t min, int64_t max) const {
  auto v = member(key, need);
  if (!v) return std::nullopt;
  auto n = toInt64(*v);
  if (!n) {
    problems_->add(pathOf(key), "must be an integer that fits in 64 bits");
    return std::nullopt;
  }
  if (*n < min) {
    problems_->add(pathOf(key), "must be at least " + std::to_string(min));
    return std::nullopt;
  }
  if (*n > max) {
    problems_->add(pathOf(key), "must be at most " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> JsonObjectReader::boolean(std::string_view key, Need need) const {
  auto v = member(key, need);
  if (!v) return std::nullopt;
  if (v->type() != typeid(bool)) {
    problems_->add(pathOf(key), "must be true or false");
    return std::nullopt;
  }
  return v->extract<bool>();
}

std::optional<JsonObjectReader> JsonObjectReader::object(std::string_view key, Need need) const {
  auto v = member(key, need);
  if (!v) return std::nullopt;
  if (!isObject(*v)) {
    problems_->add(pathOf(key), "must be an object");
    return std::nullopt;
  }
  return JsonObjectReader(v->extract<Poco::JSON::Object::Ptr>(), pathOf(key), *problems_);
}

std::optional<JsonArrayReader> JsonObjectReader::array(std::string_view key, Need need, std::size_t minItems,
                                                       std::size_t maxItems) const {
  auto v = member(key, need);
  if (!v) return std::nullopt;
  if (!isArray(*v)) {
    problems_->add(pathOf(key), "must be an array");
    return std::nullopt;
  }
  JsonArrayReader reader(v->extract<Poco::JSON::Array::Ptr>(), pathOf(key), *problems_);
  if (reader.size() < minItems) {
    problems_->add(pathOf(key), "must have at least " + std::to_string(minItems) + " item(s)");
    return std::nullopt;
  }
  if (reader.size() > maxItems) {
    problems_->add(pathOf(key), "must have at most " + std::to_string(maxItems) + " items");
    return std::nullopt;
  }
  return reader;
}

std::optional<Money> JsonObjectReader::money(std::string_view key, Need need, int64_t minValue) const {
  auto o = object(key, need);
  if (!o) return std::nullopt;
  o->rejectUnknown({"value", "currency"});
  const std::size_t before = problems_->list().size();
  auto value = o->integer("value", Need::Required, minValue);
  auto currency = o->string("currency", Need::Required);
  if (currency && !isCurrencyCode(*currency)) {
    problems_->add(o->pathOf("currency"), "must be an ISO 4217 code of three upper-case letters");
  }
  if (!value || !currency || problems_->list().size() != before) return std::nullopt;
  return Money{*value, *currency};
}

JsonArrayReader::JsonArrayReader(Poco::JSON::Array::Ptr array, std::string path, Problems& problems)
    : array_(std::move(array)), path_(std::move(path)), problems_(&problems) {}

std::size_t JsonArrayReader::size() const {
  return array_->size();
}

std::optional<std::string> JsonArrayReader::string(std::size_t index, std::size_t minLength,
                                                   std::size_t maxLength) const {
  const Poco::Dynamic::Var v = array_->get(static_cast<unsigned>(index));
  if (!v.isString()) {
    problems_->add(pathOf(index), "must be a string");
    return std::nullopt;
  }
  std::string s = v.extract<std::string>();
  const std::size_t length = characters(s);
  if (length < minLength || length > maxLength) {
    problems_->add(pathOf(index),
                   "must be " + std::to_string(minLength) + " to " + std::to_string(maxLength) + " characters long");
    return std::nullopt;
  }
  return s;
}

std::optional<JsonObjectReader> JsonArrayReader::object(std::size_t index) const {
  const Poco::Dynamic::Var v = array_->get(static_cast<unsigned>(index));
  if (!isObject(v)) {
    problems_->add(pathOf(index), "must be an object");
    return std::nullopt;
  }
  return JsonObjectReader(v.extract<Poco::JSON::Object::Ptr>(), pathOf(index), *problems_);
}

void checkMetadata(const JsonObjectReader& parent) {
  auto metadata = parent.object("metadata", Need::Optional);
  if (!metadata) return;
  if (metadata->keys().size() > 50) metadata->problems().add(metadata->path(), "must have at most 50 members");
  for (const std::string& key : metadata->keys()) metadata->string(key, Need::Required, 0, 500);
}

Poco::JSON::Object::Ptr parseObject(std::string_view text, Problems& problems) {
  if (text.empty()) {
    problems.add("", "is empty; expected a JSON object");
    return nullptr;
  }
  // Poco's parser stops at an embedded NUL instead of rejecting it, and JSON text
  // may not contain one outside escapes anyway.
  if (text.find('\0') != std::string_view::npos) {
    problems.add("", "contains a NUL byte; expected JSON text");
    return nullptr;
  }
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var root = parser.parse(std::string(text));
    if (!isObject(root)) {
      problems.add("", "must be a JSON object");
      return nullptr;
    }
    return root.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    problems.add("", "is not valid JSON: " + e.displayText());
  } catch (const std::exception& e) {
    problems.add("", std::string("is not valid JSON: ") + e.what());
  }
  return nullptr;
}

std::optional<JsonObjectReader> readObject(std::string_view text, Problems& problems) {
  Poco::JSON::Object::Ptr root = parseObject(text, problems);
  if (!root) return std::nullopt;
  return JsonObjectReader(root, "", problems);
}

}  // namespace ordersvc::plugins::common
