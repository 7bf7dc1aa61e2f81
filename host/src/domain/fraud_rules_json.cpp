// The JSON side of domain/fraud_rules.h: the strict reader and the writer of the rules
// document. Kept apart from evaluate() so each file is one concern.
#include <initializer_list>
#include <sstream>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "domain/fraud_rules.h"
#include "domain/money.h"

namespace ordersvc::domain {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

// Bounds that keep stored numbers meaningful: a window up to 30 days (the signal table
// is indexed by time, but a longer window only measures history), counts up to a
// million attempts, amounts up to 10^15 minor units (what parseMajorUnits accepts).
constexpr int64_t kMaxWindowMinutes = 30 * 24 * 60;
constexpr int64_t kMaxCount = 1'000'000;
constexpr int64_t kMaxAmountMinor = 1'000'000'000'000'000;

std::string join(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

// Reads parts of a document into a value that already holds the defaults, noting each
// problem under its dotted path. A part with problems leaves its default in place; the
// caller discards the result when there was any problem.
class Reader {
 public:
  explicit Reader(FieldProblems& problems) : problems_(problems) {}

  // `value` as an object, or null after noting that it is not one.
  Object::Ptr object(const Var& value, const std::string& path) {
    if (value.type() != typeid(Object::Ptr) || value.extract<Object::Ptr>().isNull()) {
      problem(path, "must be an object");
      return nullptr;
    }
    return value.extract<Object::Ptr>();
  }

  // Notes every key of `in` that is not in `known`.
  void onlyKnown(const Object::Ptr& in, const std::string& path, std::initializer_list<std::string_view> known) {
    for (const auto& [name, value] : *in) {
      bool found = false;
      for (std::string_view k : known) found = found || k == name;
      if (!found) problem(join(path, name), "is not a known field");
    }
  }

  void boolean(const Object::Ptr& in, const std::string& path, const std::string& name, bool& out) {
    if (!in->has(name)) return;
    const Var value = in->get(name);
    if (!value.isBoolean()) {
      problem(join(path, name), "must be true or false");
      return;
    }
    out = value.extract<bool>();
  }

  // An integer in [min, max]. JSON null is accepted only when `nullable` and gives nullopt.
  void integer(const Object::Ptr& in, const std::string& path, const std::string& name, int64_t min, int64_t max,
               bool nullable, std::optional<int64_t>& out) {
    if (!in->has(name)) return;
    const Var value = in->get(name);
    const std::string at = join(path, name);
    if (value.isEmpty()) {
      if (nullable)
        out = std::nullopt;
      else
        problem(at, "must be an integer");
      return;
    }
    // Poco counts true/false as integers; for a limit they are the wrong type.
    if (!value.isInteger() || value.isBoolean()) {
      problem(at, nullable ? "must be an integer or null" : "must be an integer");
      return;
    }
    const std::string range = "must be between " + std::to_string(min) + " and " + std::to_string(max);
    int64_t number = 0;
    try {
      number = value.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {  // an unsigned value beyond int64
      problem(at, range);
      return;
    }
    if (number < min || number > max) {
      problem(at, range);
      return;
    }
    out = number;
  }

  // "review_above" and "deny_above" of `in` (n or null), deny never below review.
  void limits(const Object::Ptr& in, const std::string& path, int64_t max, FraudLimits& out) {
    integer(in, path, "review_above", 0, max, true, out.reviewAbove);
    integer(in, path, "deny_above", 0, max, true, out.denyAbove);
    if (out.reviewAbove && out.denyAbove && *out.denyAbove < *out.reviewAbove) {
      // Named even when only review_above was sent: the default it was compared with shows.
      problem(join(path, "deny_above"),
              "is " + std::to_string(*out.denyAbove) + ", below review_above " + std::to_string(*out.reviewAbove));
    }
  }

  // {"window_minutes": n, "review_above": ..., "deny_above": ...}
  void windowed(const Var& value, const std::string& path, int64_t max, WindowedLimits& out) {
    const Object::Ptr in = object(value, path);
    if (!in) return;
    onlyKnown(in, path, {"window_minutes", "review_above", "deny_above"});
    std::optional<int64_t> window = out.windowMinutes;
    integer(in, path, "window_minutes", 1, kMaxWindowMinutes, false, window);
    out.windowMinutes = *window;
    limits(in, path, max, out.limits);
  }

  void problem(const std::string& path, const std::string& message) {
    problems_.emplace(path.empty() ? "$" : path, message);  // the first problem of a field stays
  }

 private:
  FieldProblems& problems_;
};

void readVelocity(Reader& reader, const Var& value, const std::string& path, FraudRules& rules) {
  const Object::Ptr in = reader.object(value, path);
  if (!in) return;
  reader.onlyKnown(in, path, {"customer", "email", "ip", "card"});
  for (VelocityKey key : kVelocityKeys) {
    const std::string name(velocityKeyName(key));
    if (in->has(name)) reader.windowed(in->get(name), join(path, name), kMaxCount, rules.velocityFor(key));
  }
}

void readAmountThresholds(Reader& reader, const Var& value, const std::string& path, FraudRules& rules) {
  const Object::Ptr in = reader.object(value, path);
  if (!in) return;
  // The document replaces the whole table: a currency left out has no amount rule.
  rules.amountThresholds.clear();
  for (const auto& [currency, entry] : *in) {
    const std::string at = join(path, currency);
    if (!isCurrencyCode(currency)) {
      reader.problem(at, "is not an ISO 4217 currency code (three upper-case letters)");
      continue;
    }
    const Object::Ptr limits = reader.object(entry, at);
    if (!limits) continue;
    reader.onlyKnown(limits, at, {"review_above", "deny_above"});
    reader.limits(limits, at, kMaxAmountMinor, rules.amountThresholds[currency]);
  }
}

void readFailedAttempts(Reader& reader, const Var& value, const std::string& path, FraudRules& rules) {
  const Object::Ptr in = reader.object(value, path);
  if (!in) return;
  reader.onlyKnown(in, path, {"order", "customer"});
  if (in->has("order")) {
    const std::string at = join(path, "order");
    if (const Object::Ptr order = reader.object(in->get("order"), at)) {
      reader.onlyKnown(order, at, {"review_above", "deny_above"});
      reader.limits(order, at, kMaxCount, rules.failedOnOrder);
    }
  }
  if (in->has("customer")) {
    reader.windowed(in->get("customer"), join(path, "customer"), kMaxCount, rules.failedByCustomer);
  }
}

Var threshold(const std::optional<int64_t>& value) {
  return value ? Var(*value) : Var();
}

void setLimits(Object& out, const FraudLimits& limits) {
  out.set("review_above", threshold(limits.reviewAbove));
  out.set("deny_above", threshold(limits.denyAbove));
}

Object::Ptr limitsJson(const FraudLimits& limits) {
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  setLimits(*out, limits);
  return out;
}

Object::Ptr windowedJson(const WindowedLimits& windowed) {
  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("window_minutes", windowed.windowMinutes);
  setLimits(*out, windowed.limits);
  return out;
}

}  // namespace

std::optional<FraudRules> readFraudRules(const Var& value, const std::string& path, FieldProblems& problems) {
  const std::size_t before = problems.size();
  Reader reader(problems);
  FraudRules rules;
  const Object::Ptr in = reader.object(value, path);
  if (!in) return std::nullopt;
  reader.onlyKnown(in, path, {"enabled", "velocity", "amount_thresholds", "country_mismatch", "failed_attempts"});
  reader.boolean(in, path, "enabled", rules.enabled);
  if (in->has("velocity")) readVelocity(reader, in->get("velocity"), join(path, "velocity"), rules);
  if (in->has("amount_thresholds")) {
    readAmountThresholds(reader, in->get("amount_thresholds"), join(path, "amount_thresholds"), rules);
  }
  if (in->has("country_mismatch")) {
    const Var mismatch = in->get("country_mismatch");
    const auto outcome = mismatch.isString() ? parseFraudOutcome(mismatch.extract<std::string>()) : std::nullopt;
    if (!outcome)
      reader.problem(join(path, "country_mismatch"), "must be one of allow, review, deny");
    else
      rules.countryMismatch = *outcome;
  }
  if (in->has("failed_attempts")) {
    readFailedAttempts(reader, in->get("failed_attempts"), join(path, "failed_attempts"), rules);
  }
  if (problems.size() != before) return std::nullopt;
  return rules;
}

Result<FraudRules> parseFraudRules(std::string_view jsonText) {
  Var value;
  try {
    value = Poco::JSON::Parser().parse(std::string(jsonText));
  } catch (const Poco::Exception& e) {
    return Error::invalidArgument("fraud rules are not valid JSON: " + e.message());
  }
  FieldProblems problems;
  auto rules = readFraudRules(value, "", problems);
  if (!rules) return invalidFields(problems);
  return *rules;
}

Object::Ptr fraudRulesJson(const FraudRules& rules) {
  Object::Ptr velocity = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (VelocityKey key : kVelocityKeys) {
    velocity->set(std::string(velocityKeyName(key)), windowedJson(rules.velocityFor(key)));
  }
  Object::Ptr amounts = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [currency, limits] : rules.amountThresholds) amounts->set(currency, limitsJson(limits));
  Object::Ptr failed = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  failed->set("order", limitsJson(rules.failedOnOrder));
  failed->set("customer", windowedJson(rules.failedByCustomer));

  Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("enabled", rules.enabled);
  out->set("velocity", velocity);
  out->set("amount_thresholds", amounts);
  out->set("country_mismatch", std::string(fraudOutcomeName(rules.countryMismatch)));
  out->set("failed_attempts", failed);
  return out;
}

std::string fraudRulesText(const FraudRules& rules) {
  std::ostringstream out;
  fraudRulesJson(rules)->stringify(out);
  return out.str();
}

Error invalidFields(const FieldProblems& problems) {
  Object::Ptr fields = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [field, message] : problems) fields->set(field, message);
  Object details;
  details.set("fields", fields);
  std::ostringstream text;
  details.stringify(text);
  Error error = Error::invalidArgument("some fields are invalid");
  error.detailsJson = text.str();
  return error;
}

}  // namespace ordersvc::domain
