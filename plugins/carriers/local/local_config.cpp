#include "carriers/local/local_config.h"

#include <algorithm>
#include <set>

#include "common/address.h"
#include "common/json_reader.h"

namespace ordersvc::plugins::local_carrier {

using common::JsonArrayReader;
using common::JsonObjectReader;
using common::Need;
using common::Problems;

namespace {

bool isServiceCode(std::string_view code) {
  if (code.empty() || code.size() > 32 || code[0] < 'a' || code[0] > 'z') return false;
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool isPostalPrefix(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > 20) return false;
  return std::all_of(prefix.begin(), prefix.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '-';
  });
}

std::optional<Service> readService(const JsonObjectReader& in) {
  in.rejectUnknown({"code", "name", "estimated_days"});
  Service out;
  auto code = in.string("code", Need::Required);
  if (code && !isServiceCode(*code)) {
    in.problems().add(in.pathOf("code"), "must be 1-32 characters of a-z, 0-9 and _, starting with a letter");
    code.reset();
  }
  auto name = in.string("name", Need::Required, 1, 200);
  if (auto days = in.object("estimated_days", Need::Optional)) {
    days->rejectUnknown({"min", "max"});
    auto min = days->integer("min", Need::Required, 0, 365);
    auto max = days->integer("max", Need::Required, 0, 365);
    if (min && max && *min > *max) days->problems().add(days->pathOf("min"), "must not be above max");
    if (min && max) out.estimatedDays = DayRange{*min, *max};
  }
  if (!code || !name) return std::nullopt;
  out.code = *code;
  out.name = *name;
  return out;
}

// Reads one service's brackets and reports any two that share a weight.
std::vector<WeightBracket> readBrackets(const JsonArrayReader& in) {
  struct Range {
    int64_t min;
    int64_t max;
    std::size_t index;  // position in the configuration, for problem paths
  };
  std::vector<WeightBracket> out;
  // Every bracket with usable weights takes part in the overlap check, even when its
  // price is wrong: the two mistakes are independent and both get reported.
  std::vector<Range> ranges;
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto bracket = in.object(i);
    if (!bracket) continue;
    bracket->rejectUnknown({"min_weight_grams", "max_weight_grams", "price"});
    auto min = bracket->integer("min_weight_grams", Need::Optional, 0);
    auto max = bracket->integer("max_weight_grams", Need::Required, 1);
    // A negative price would pay the customer to ship; money() reports it at /price/value.
    auto price = bracket->money("price", Need::Required, 0);
    if (!max || (bracket->has("min_weight_grams") && !min)) continue;
    const int64_t from = min.value_or(0);
    if (from > *max) {
      in.problems().add(bracket->pathOf("min_weight_grams"), "must not be above max_weight_grams");
      continue;
    }
    ranges.push_back(Range{from, *max, i});
    if (price) out.push_back(WeightBracket{from, *max, *price});
  }
  // Sorted by lower bound, two ranges overlap exactly when one starts at or before the
  // end of the one before it. Reported at the later one in configuration order.
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.min < b.min; });
  for (std::size_t k = 1; k < ranges.size(); ++k) {
    if (ranges[k].min <= ranges[k - 1].max) {
      const std::size_t first = std::min(ranges[k - 1].index, ranges[k].index);
      const std::size_t second = std::max(ranges[k - 1].index, ranges[k].index);
      in.problems().add(in.pathOf(second), "overlaps " + in.pathOf(first) + ": a weight may fall in only one bracket");
    }
  }
  return out;
}

std::optional<Zone> readZone(const JsonObjectReader& in, const std::set<std::string, std::less<>>& serviceCodes) {
  in.rejectUnknown({"name", "countries", "regions", "postal_code_prefixes", "rates"});
  Problems& problems = in.problems();
  const std::size_t before = problems.list().size();
  Zone out;
  if (auto name = in.string("name", Need::Required, 1, 100)) out.name = *name;
  if (auto countries = in.array("countries", Need::Required, 1)) {
    for (std::size_t i = 0; i < countries->size(); ++i) {
      auto country = countries->string(i);
      if (!country) continue;
      if (!common::isCountryCode(*country)) {
        problems.add(countries->pathOf(i), "must be an ISO 3166-1 alpha-2 code in upper case");
      } else if (std::find(out.countries.begin(), out.countries.end(), *country) != out.countries.end()) {
        problems.add(countries->pathOf(i), "is listed twice");
      } else {
        out.countries.push_back(*country);
      }
    }
  }
  if (auto regions = in.array("regions", Need::Optional, 1)) {
    for (std::size_t i = 0; i < regions->size(); ++i) {
      if (auto region = regions->string(i, 1, 100)) out.regions.push_back(common::upperAscii(*region));
    }
  }
  if (auto prefixes = in.array("postal_code_prefixes", Need::Optional, 1)) {
    for (std::size_t i = 0; i < prefixes->size(); ++i) {
      auto prefix = prefixes->string(i);
      if (prefix && !isPostalPrefix(*prefix)) {
        problems.add(prefixes->pathOf(i), "must be 1-20 letters, digits, spaces or hyphens");
      } else if (prefix) {
        out.postalCodePrefixes.push_back(normalisePostalCode(*prefix));
      }
    }
  }
  if (auto rates = in.object("rates", Need::Required)) {
    if (rates->keys().empty()) problems.add(rates->path(), "must price at least one service");
    for (const std::string& code : rates->keys()) {
      if (serviceCodes.count(code) == 0) {
        problems.add(rates->pathOf(code), "is not the code of a configured service");
        continue;
      }
      if (auto brackets = rates->array(code, Need::Required, 1)) out.rates[code] = readBrackets(*brackets);
    }
  }
  if (problems.list().size() != before) return std::nullopt;
  return out;
}

}  // namespace

const Service* LocalCarrierConfig::service(std::string_view code) const {
  for (const Service& s : services) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

std::optional<LocalCarrierConfig> LocalCarrierConfig::parse(std::string_view json, Problems& problems) {
  const Poco::JSON::Object::Ptr root = common::parseObject(json, problems);
  if (!root) return std::nullopt;
  const JsonObjectReader config(root, "", problems);
  config.rejectUnknown({"origin_country", "prices_include_tax", "services", "zones"});

  LocalCarrierConfig out;
  if (auto origin = config.string("origin_country", Need::Required)) {
    if (!common::isCountryCode(*origin)) {
      problems.add(config.pathOf("origin_country"), "must be an ISO 3166-1 alpha-2 code in upper case");
    }
    out.originCountry = *origin;
  }
  out.pricesIncludeTax = config.boolean("prices_include_tax", Need::Optional).value_or(true);

  // Service codes are collected first: zones may only price declared services.
  std::set<std::string, std::less<>> codes;
  if (auto services = config.array("services", Need::Required, 1)) {
    for (std::size_t i = 0; i < services->size(); ++i) {
      auto entry = services->object(i);
      if (!entry) continue;
      auto service = readService(*entry);
      if (!service) continue;
      if (!codes.insert(service->code).second) {
        problems.add(entry->pathOf("code"), "\"" + service->code + "\" is already used by another service");
        continue;
      }
      out.services.push_back(std::move(*service));
    }
  }
  if (auto zones = config.array("zones", Need::Required, 1)) {
    std::set<std::string, std::less<>> names;
    for (std::size_t i = 0; i < zones->size(); ++i) {
      auto entry = zones->object(i);
      if (!entry) continue;
      auto zone = readZone(*entry, codes);
      if (!zone) continue;
      if (!names.insert(zone->name).second) {
        problems.add(entry->pathOf("name"), "\"" + zone->name + "\" is already used by another zone");
        continue;
      }
      out.zones.push_back(std::move(*zone));
    }
  }
  if (!problems.empty()) return std::nullopt;
  return out;
}

std::string normalisePostalCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

}  // namespace ordersvc::plugins::local_carrier
