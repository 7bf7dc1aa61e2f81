// Acme Freight: an example third-party carrier plugin, written against the installed
// ordersvc plugin SDK (osp/sdk/plugin.hpp) and the C++17 standard library only.
//
//   carrier.list_services  two services, "ground" and "express"
//   carrier.quote_rates    every requested service at a flat price per started kilogram:
//                          ceil(sum of parcels[].weight_grams / 1000) * rate_per_kg
//
// Configuration: {"rate_per_kg": {"value": <integer minor units>, "currency": "USD"}}
// Messages follow the schemas installed with the SDK
// (share/ordersvc-plugin-sdk/schemas/carrier/{list_services,quote_rates}.*.json).
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mini_json.h"
#include "osp/sdk/plugin.hpp"

#ifndef ACME_PLUGIN_ID
#error "ACME_PLUGIN_ID is set by CMakeLists.txt"
#endif
#ifndef ACME_PLUGIN_VERSION
#error "ACME_PLUGIN_VERSION is set by CMakeLists.txt"
#endif

namespace acme {
namespace {

using osp::sdk::Call;
using osp::sdk::ConfigProblem;
using osp::sdk::Result;
using osp::sdk::Validation;

struct Service {
  const char* code;
  const char* name;
  bool domestic;
  bool international;
  int minDays;
  int maxDays;
};

constexpr Service kServices[] = {
    {"ground", "Acme Ground", true, false, 3, 5},
    {"express", "Acme Express", true, true, 1, 2},
};

// Limits of the osp/1 parcel schema (common.json#/$defs/parcel, quote_rates.request.json).
constexpr std::size_t kMaxParcels = 50;
constexpr int64_t kMaxParcelGrams = 10000000;

struct Rate {
  int64_t value = 0;
  std::string currency;
};

bool isCurrency(const std::string& code) {
  if (code.size() != 3) return false;
  for (const char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// Reads the configuration; problems, if any, go to `problems`.
Rate readConfig(std::string_view config, Validation& problems) {
  Rate rate;
  std::string error;
  const auto root = json::parse(config, &error);
  if (!root) {
    problems.push_back({"", "not JSON: " + error});
    return rate;
  }
  if (!root->isObject()) {
    problems.push_back({"", "must be an object"});
    return rate;
  }
  for (const auto& member : root->members) {
    if (member.first != "rate_per_kg") problems.push_back({"/" + member.first, "unknown property"});
  }
  const json::Value* perKg = root->find("rate_per_kg");
  if (perKg == nullptr || !perKg->isObject()) {
    problems.push_back({"/rate_per_kg", "required: {\"value\": <minor units>, \"currency\": \"USD\"}"});
    return rate;
  }
  for (const auto& member : perKg->members) {
    if (member.first != "value" && member.first != "currency") {
      problems.push_back({"/rate_per_kg/" + member.first, "unknown property"});
    }
  }
  const json::Value* value = perKg->find("value");
  const auto minor = value ? value->asInt64() : std::nullopt;
  if (!minor || *minor < 0) {
    problems.push_back({"/rate_per_kg/value", "must be a non-negative integer of minor units"});
  } else {
    rate.value = *minor;
  }
  const json::Value* currency = perKg->find("currency");
  if (currency == nullptr || !currency->isString() || !isCurrency(currency->text)) {
    problems.push_back({"/rate_per_kg/currency", "must be an ISO 4217 code such as \"USD\""});
  } else {
    rate.currency = currency->text;
  }
  return rate;
}

std::string serviceJson(const Service& s) {
  return std::string("{\"code\":") + json::quote(s.code) + ",\"name\":" + json::quote(s.name) +
         ",\"domestic\":" + (s.domestic ? "true" : "false") +
         ",\"international\":" + (s.international ? "true" : "false") +
         ",\"estimated_days\":{\"min\":" + std::to_string(s.minDays) + ",\"max\":" + std::to_string(s.maxDays) + "}}";
}

class AcmeInstance final : public osp::sdk::Instance {
 public:
  explicit AcmeInstance(Rate rate) : rate_(std::move(rate)) {}

  Result listServices(const Call&, std::string_view request) override {
    // No parameters; an empty body is accepted as {}.
    if (!request.empty()) {
      const auto root = json::parse(request);
      if (!root || !root->isObject()) return Result::invalid("list_services: the request must be a JSON object");
    }
    std::string out = "{\"services\":[";
    for (std::size_t i = 0; i < std::size(kServices); ++i) {
      if (i > 0) out += ',';
      out += serviceJson(kServices[i]);
    }
    out += "]}";
    return Result::ok(out);
  }

  Result quoteRates(const Call&, std::string_view request) override {
    std::string error;
    const auto root = json::parse(request, &error);
    if (!root) return Result::invalid("quote_rates: request is not JSON: " + error);
    if (!root->isObject()) return Result::invalid("quote_rates: the request must be a JSON object");
    const json::Value* shipTo = root->find("ship_to");
    if (shipTo == nullptr || !shipTo->isObject()) return Result::invalid("quote_rates: ship_to is required");
    const json::Value* parcels = root->find("parcels");
    if (parcels == nullptr || !parcels->isArray() || parcels->items.empty() || parcels->items.size() > kMaxParcels) {
      return Result::invalid("quote_rates: parcels must be an array of 1 to 50 parcels");
    }
    int64_t grams = 0;  // at most 50 * 10^7: no overflow
    for (std::size_t i = 0; i < parcels->items.size(); ++i) {
      const json::Value& parcel = parcels->items[i];
      const json::Value* weight = parcel.isObject() ? parcel.find("weight_grams") : nullptr;
      const auto value = weight ? weight->asInt64() : std::nullopt;
      if (!value || *value < 1 || *value > kMaxParcelGrams) {
        return Result::invalid("quote_rates: parcels[" + std::to_string(i) +
                               "].weight_grams must be an integer from 1 to 10000000");
      }
      grams += *value;
    }
    const int64_t kilograms = (grams + 999) / 1000;  // every started kilogram counts
    if (rate_.value > std::numeric_limits<int64_t>::max() / kilograms) {
      return Result::invalid("quote_rates: the price does not fit in 64-bit minor units");
    }
    const int64_t amount = kilograms * rate_.value;

    // Optional filter: quote only these service codes; unknown ones are "unavailable".
    std::vector<std::string> wanted;
    if (const json::Value* services = root->find("services")) {
      if (!services->isArray()) return Result::invalid("quote_rates: services must be an array of service codes");
      for (const auto& code : services->items) {
        if (!code.isString()) return Result::invalid("quote_rates: services must be an array of service codes");
        wanted.push_back(code.text);
      }
    }
    auto isWanted = [&wanted](std::string_view code) {
      if (wanted.empty()) return true;
      for (const auto& w : wanted) {
        if (w == code) return true;
      }
      return false;
    };

    std::string rates;
    for (const auto& s : kServices) {
      if (!isWanted(s.code)) continue;
      if (!rates.empty()) rates += ',';
      rates += std::string("{\"service_code\":") + json::quote(s.code) + ",\"service_name\":" + json::quote(s.name) +
               ",\"amount\":{\"value\":" + std::to_string(amount) + ",\"currency\":" + json::quote(rate_.currency) +
               "},\"tax_inclusive\":false,\"estimated_days\":{\"min\":" + std::to_string(s.minDays) +
               ",\"max\":" + std::to_string(s.maxDays) +
               "},\"provider_data\":{\"billable_kg\":" + std::to_string(kilograms) + "}}";
    }
    std::string unavailable;
    for (const auto& w : wanted) {
      bool known = false;
      for (const auto& s : kServices) known = known || w == s.code;
      if (known) continue;
      if (!unavailable.empty()) unavailable += ',';
      unavailable += "{\"service_code\":" + json::quote(w) + ",\"reason\":\"unknown_service\"}";
    }
    return Result::ok("{\"rates\":[" + rates + "],\"unavailable\":[" + unavailable + "]}");
  }

 private:
  const Rate rate_;  // immutable: operations run concurrently
};

class AcmePlugin final : public osp::sdk::Plugin {
 public:
  std::string configSchema() const override {
    // The same schema as plugin.json's "config_schema".
    return R"({"$schema":"https://json-schema.org/draft/2020-12/schema","title":"Acme Freight configuration",)"
           R"("type":"object","required":["rate_per_kg"],"additionalProperties":false,)"
           R"("properties":{"rate_per_kg":{"type":"object","required":["value","currency"],"additionalProperties":false,)"
           R"("properties":{"value":{"type":"integer","minimum":0},"currency":{"type":"string","pattern":"^[A-Z]{3}$"}}}}})";
  }

  Validation validateConfig(std::string_view config) const override {
    Validation problems;
    readConfig(config, problems);
    return problems;
  }

  std::unique_ptr<osp::sdk::Instance> createInstance(const Call&, std::string_view config) override {
    Validation problems;
    Rate rate = readConfig(config, problems);
    if (!problems.empty()) throw osp::sdk::ConfigError(problems.front().path + ": " + problems.front().message);
    return std::make_unique<AcmeInstance>(std::move(rate));
  }

  osp::sdk::Operations operations() const override { return {"carrier.list_services", "carrier.quote_rates"}; }
};

}  // namespace
}  // namespace acme

OSP_SDK_PLUGIN(acme::AcmePlugin, ACME_PLUGIN_ID, ACME_PLUGIN_VERSION, "Acme Freight",
               "Acme Logistics (example third party)", OSP_FLAG_UNLOAD_SAFE)
