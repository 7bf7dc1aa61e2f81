#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include "domain/money.h"
#include "kernel/json_util.h"
#include "kernel/result.h"
#include "platform/http/authenticator.h"
#include "platform/http/http_types.h"

namespace ordersvc::api {

// Reading request bodies and query strings for the REST routes: one JSON object per
// body, field-level problems collected into one 400 that names every field.

// A request body that must be a JSON object; nesting beyond 20 levels is refused.
struct BodyError {
  Error error;
};

inline Poco::JSON::Object::Ptr bodyOf(const Request& request) {
  if (request.body.empty()) return new Poco::JSON::Object;
  Poco::JSON::Parser parser;
  parser.setDepth(20);
  Poco::Dynamic::Var value;
  try {
    value = parser.parse(request.body);
  } catch (const Poco::Exception& e) {
    throw BodyError{Error::invalidArgument("body is not valid JSON (or nests too deep): " + e.message())};
  }
  if (value.type() != typeid(Poco::JSON::Object::Ptr))
    throw BodyError{Error::invalidArgument("body must be a JSON object")};
  return value.extract<Poco::JSON::Object::Ptr>();
}

// Field-level validation: collects problems as {"field": "what is wrong"} for one 400.
class Fields {
 public:
  explicit Fields(Poco::JSON::Object::Ptr body)
      : body_(std::move(body)), problems_(new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER)) {}

  std::optional<std::string> text(const std::string& name, bool required, std::size_t maxLength = 200) {
    if (!body_->has(name) || body_->isNull(name)) {
      if (required) problem(name, "is required");
      return std::nullopt;
    }
    const auto value = body_->get(name);
    if (!value.isString()) {
      problem(name, "must be a string");
      return std::nullopt;
    }
    std::string s = value.extract<std::string>();
    if (s.empty() || s.size() > maxLength) {
      problem(name, "must be 1 to " + std::to_string(maxLength) + " characters");
      return std::nullopt;
    }
    return s;
  }

  std::optional<int64_t> integer(const std::string& name, bool required, int64_t min, int64_t max) {
    if (!body_->has(name) || body_->isNull(name)) {
      if (required) problem(name, "is required");
      return std::nullopt;
    }
    const auto value = body_->get(name);
    // Poco counts a JSON true/false as an integer (1/0); for us it is the wrong type.
    if (!value.isInteger() || value.isBoolean()) {
      problem(name, "must be an integer");
      return std::nullopt;
    }
    const int64_t v = value.convert<Poco::Int64>();
    if (v < min || v > max) {
      problem(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
      return std::nullopt;
    }
    return v;
  }

  // A decimal amount in major units (number or string) of `currency`.
  std::optional<int64_t> amount(const std::string& name, bool required, const std::string& currency) {
    if (!body_->has(name) || body_->isNull(name)) {
      if (required) problem(name, "is required");
      return std::nullopt;
    }
    const auto value = body_->get(name);
    if (!value.isNumeric() && !value.isString()) {
      problem(name, "must be a number");
      return std::nullopt;
    }
    auto parsed = domain::parseMajorUnits(value.convert<std::string>(), currency);
    if (!parsed) {
      problem(name, parsed.error().message);
      return std::nullopt;
    }
    return *parsed;
  }

  // An address object: country (ISO 3166-1 alpha-2) required; for shipping also name,
  // line1 and city.
  std::optional<std::string> address(const std::string& name, bool forShipping) {
    if (!body_->has(name) || body_->isNull(name)) return std::nullopt;
    if (body_->get(name).type() != typeid(Poco::JSON::Object::Ptr)) {
      problem(name, "must be an object");
      return std::nullopt;
    }
    const Poco::JSON::Object::Ptr in = body_->getObject(name);
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    bool ok = true;
    for (const char* field :
         {"name", "line1", "line2", "city", "region", "postal_code", "country", "phone", "tax_id"}) {
      if (!in->has(field) || in->isNull(field)) continue;
      const auto value = in->get(field);
      if (!value.isString() || value.extract<std::string>().size() > 200) {
        problem(name + "." + field, "must be a string of at most 200 characters");
        ok = false;
        continue;
      }
      out->set(field, value.extract<std::string>());
    }
    std::string country = out->optValue<std::string>("country", "");
    for (auto& ch : country) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (country.size() != 2 || !std::isalpha(static_cast<unsigned char>(country[0])) ||
        !std::isalpha(static_cast<unsigned char>(country[1]))) {
      problem(name + ".country", "an ISO 3166-1 alpha-2 code such as CL is required");
      ok = false;
    }
    out->set("country", country);
    if (forShipping) {
      for (const char* field : {"name", "line1", "city"}) {
        if (!out->has(field) || out->getValue<std::string>(field).empty()) {
          problem(name + "." + field, "is required for shipping");
          ok = false;
        }
      }
    }
    return ok ? std::optional<std::string>(services::toJsonText(out)) : std::nullopt;
  }

  void problem(const std::string& field, const std::string& message) {
    if (!problems_->has(field)) problems_->set(field, message);
  }
  bool ok() const { return problems_->size() == 0; }
  Response failure() const {
    Poco::JSON::Object::Ptr details = new Poco::JSON::Object;
    details->set("fields", problems_);
    return errorResponse(Error::invalidArgument("some fields are invalid"), details);
  }

 private:
  Poco::JSON::Object::Ptr body_;
  Poco::JSON::Object::Ptr problems_;
};

inline std::map<std::string, std::string> queryOf(const Request& request) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : Poco::URI("/?" + request.query).getQueryParameters()) out[k] = v;
  return out;
}

// Runs a handler body, turning a malformed body into its 400.
inline Response guarded(const std::function<Response()>& body) {
  try {
    return body();
  } catch (const BodyError& e) {
    return failureResponse(e.error);
  }
}

}  // namespace ordersvc::api
