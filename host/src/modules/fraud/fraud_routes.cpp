#include "modules/fraud/fraud_routes.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "domain/fraud_rules.h"
#include "platform/http/json_values.h"

namespace ordersvc::api {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

Response rulesResponse(const Result<services::StoredFraudRules>& stored) {
  if (!stored) return failureResponse(stored.error());
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("version", stored->version);
  out->set("updated_at", stored->updatedAtMs ? Var(rfc3339(*stored->updatedAtMs)) : Var());
  out->set("rules", domain::fraudRulesJson(stored->rules));
  return successResponse(out);
}

// What a PUT asks for.
struct Replacement {
  domain::FraudRules rules;
  int64_t expectedVersion = 0;
};

// A JSON integer >= 0 that fits int64 (Poco counts true/false as integers; not here).
std::optional<int64_t> nonNegativeInteger(const Var& value) {
  if (!value.isInteger() || value.isBoolean()) return std::nullopt;
  try {
    const int64_t number = value.convert<Poco::Int64>();
    if (number >= 0) return number;
  } catch (const Poco::Exception&) {  // an unsigned value beyond int64
  }
  return std::nullopt;
}

// Reads {"version": n, "rules": {...}}, naming every bad field in one 400.
Result<Replacement> readReplacement(const std::string& body) {
  Var value;
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(20);  // as the commerce routes: no deeper nesting than a document needs
    value = parser.parse(body.empty() ? "{}" : body);
  } catch (const Poco::Exception& e) {
    return Error::invalidArgument("body is not valid JSON (or nests too deep): " + e.message());
  }
  if (value.type() != typeid(Object::Ptr)) return Error::invalidArgument("body must be a JSON object");
  const Object::Ptr in = value.extract<Object::Ptr>();

  domain::FieldProblems problems;
  for (const auto& [name, ignored] : *in) {
    if (name != "version" && name != "rules") problems.emplace(name, "is not a known field");
  }
  Replacement out;
  // The version makes a save conditional, so it is required: 0 before the first save.
  if (!in->has("version")) {
    problems.emplace("version", "is required (0 before the first save)");
  } else if (const auto version = nonNegativeInteger(in->get("version"))) {
    out.expectedVersion = *version;
  } else {
    problems.emplace("version", "must be the integer version last read (0 before the first save)");
  }
  std::optional<domain::FraudRules> rules;
  if (!in->has("rules"))
    problems.emplace("rules", "is required");
  else
    rules = domain::readFraudRules(in->get("rules"), "rules", problems);
  if (!problems.empty()) return domain::invalidFields(problems);
  out.rules = std::move(*rules);
  return out;
}

Response replaceRules(services::FraudService& fraud, const services::Actor& actor, const Request& request) {
  auto replacement = readReplacement(request.body);
  if (!replacement) return failureResponse(replacement.error());
  return rulesResponse(fraud.replaceRules(actor, replacement->rules, replacement->expectedVersion));
}

}  // namespace

// Both rows need Permission::ManageFraudRules: the table answers 401/403 before the
// handler, and before a PUT's body is read.
std::vector<RouteRow> fraudRoutes(services::FraudService& fraud) {
  return {
      {.method = "GET",
       .path = "/api/v1/fraud-rules",
       .audience = Audience::Permitted,
       .permission = Permission::ManageFraudRules,
       .policies = kRateLimited,
       .handler = [&fraud](const services::Actor& actor, const Request&) { return rulesResponse(fraud.rules(actor)); }},
      {.method = "PUT",
       .path = "/api/v1/fraud-rules",
       .audience = Audience::Permitted,
       .permission = Permission::ManageFraudRules,
       .policies = kRateLimited,
       .handler = [&fraud](const services::Actor& actor,
                           const Request& request) { return replaceRules(fraud, actor, request); }},
  };
}

}  // namespace ordersvc::api
