#include "tax/rate-table/rate_table_instance.h"

#include <set>
#include <string>

#include "common/address.h"
#include "common/json_reader.h"
#include "common/json_writer.h"
#include "common/sdk_glue.h"
#include "tax/rate-table/tax_math.h"

namespace ordersvc::plugins::rate_table {

using common::JsonObjectReader;
using common::Money;
using common::Need;
using osp::sdk::Result;

namespace {

std::optional<JsonObjectReader> readRequest(std::string_view request, common::Problems& problems) {
  Poco::JSON::Object::Ptr root = common::parseObject(request, problems);
  if (!root) return std::nullopt;
  return JsonObjectReader(root, "", problems);
}

// One taxable amount of the request: a line or the shipping charge.
struct Taxable {
  std::string id;
  std::string taxClass;
  int64_t amount = 0;
};

std::optional<std::string> readTaxClass(const JsonObjectReader& in) {
  auto taxClass = in.string("tax_class", Need::Optional);
  if (taxClass && !isTaxClass(*taxClass)) {
    in.problems().add(in.pathOf("tax_class"), "must be 1-40 characters of a-z, 0-9 and _, starting with a letter");
    return std::nullopt;
  }
  return taxClass;
}

// An amount in the request's currency; a line in another currency cannot be summed.
std::optional<int64_t> readAmount(const JsonObjectReader& in, const std::string& currency) {
  auto amount = in.money("amount", Need::Required, 0);
  if (!amount) return std::nullopt;
  if (amount->currency != currency) {
    in.problems().add(in.pathOf("amount") + "/currency", "must be the request's currency " + currency);
    return std::nullopt;
  }
  return amount->value;
}

Result transactionAcknowledgement(std::string_view request, const char* state) {
  common::Problems problems;
  auto req = readRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  std::optional<std::string> reference;
  if (std::string_view(state) == "committed") {
    req->rejectUnknown({"transaction_reference", "document_date", "total_tax", "provider_data"});
    reference = req->string("transaction_reference", Need::Required, 1, 200);
    req->string("document_date", Need::Optional, 1, 10);
    req->money("total_tax", Need::Optional, 0);
    req->object("provider_data", Need::Optional);
  } else {
    req->rejectUnknown({"transaction_reference", "provider_reference", "provider_data", "reason"});
    reference = req->string("transaction_reference", Need::Required, 1, 200);
    req->string("provider_reference", Need::Optional, 1, 200);
    req->object("provider_data", Need::Optional);
    req->string("reason", Need::Optional, 0, 500);
  }
  if (!problems.empty()) return common::invalidRequest(problems);

  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("state", state);
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("status", "succeeded");
  out->set("transaction_reference", *reference);
  out->set("provider_data", data);
  return Result::ok(common::toJson(out));
}

}  // namespace

Result RateTableInstance::calculateTax(const osp::sdk::Call&, std::string_view request) {
  common::Problems problems;
  auto req = readRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  req->rejectUnknown({"reference", "currency", "prices_include_tax", "ship_to", "ship_from", "lines", "shipping",
                      "customer", "transaction_date"});
  req->string("reference", Need::Optional, 1, 200);
  auto currency = req->string("currency", Need::Required);
  if (currency && !common::isCurrencyCode(*currency)) {
    problems.add(req->pathOf("currency"), "must be an ISO 4217 code of three upper-case letters");
    currency.reset();
  }
  const bool inclusive = req->boolean("prices_include_tax", Need::Optional).value_or(config_.pricesIncludeTax);
  auto shipTo = common::readAddress(*req, "ship_to", Need::Required, false);
  common::readAddress(*req, "ship_from", Need::Optional, false);
  if (auto customer = req->object("customer", Need::Optional)) {
    customer->rejectUnknown({"id", "tax_id"});
    customer->string("id", Need::Optional, 1, 200);
    customer->string("tax_id", Need::Optional, 0, 50);
  }
  req->string("transaction_date", Need::Optional, 1, 10);

  std::vector<Taxable> lines;
  std::optional<Taxable> shipping;
  if (auto array = req->array("lines", Need::Required, 0, 1000); array && currency) {
    std::set<std::string> ids;
    for (std::size_t i = 0; i < array->size(); ++i) {
      auto line = array->object(i);
      if (!line) continue;
      line->rejectUnknown({"id", "amount", "quantity", "tax_class", "sku", "description"});
      auto id = line->string("id", Need::Required, 1, 200);
      if (id && !ids.insert(*id).second) problems.add(line->pathOf("id"), "repeats another line's id");
      auto amount = readAmount(*line, *currency);
      line->integer("quantity", Need::Optional, 1);
      auto taxClass = readTaxClass(*line);
      line->string("sku", Need::Optional, 0, 100);
      line->string("description", Need::Optional, 0, 500);
      if (id && amount) lines.push_back(Taxable{*id, taxClass.value_or("standard"), *amount});
    }
  }
  if (auto charge = req->object("shipping", Need::Optional); charge && currency) {
    charge->rejectUnknown({"amount", "tax_class"});
    auto amount = readAmount(*charge, *currency);
    auto taxClass = readTaxClass(*charge);
    if (amount) shipping = Taxable{"shipping", taxClass.value_or(config_.shippingTaxClass), *amount};
  }
  if (!problems.empty()) return common::invalidRequest(problems);

  const int decimals = common::currencyDecimals(*currency);
  int64_t totalTax = 0;
  int64_t totalNet = 0;
  int64_t totalGross = 0;
  std::optional<Result> failure;
  const auto taxLine = [&](const Taxable& taxable) -> Poco::JSON::Object::Ptr {
    const TaxRate* rate = config_.find(shipTo->country, shipTo->region, taxable.taxClass);
    if (rate == nullptr) {
      failure =
          Result::error(OSP_E_CONFIG, "tax.no_rate",
                        "no rate for tax class \"" + taxable.taxClass + "\" in " + shipTo->country +
                            (shipTo->region.empty() ? "" : " region " + shipTo->region) + " (line " + taxable.id + ")");
      return nullptr;
    }
    const auto tax = computeLineTax(taxable.amount, rate->ppm, inclusive);
    if (!tax || __builtin_add_overflow(totalTax, tax->tax, &totalTax) ||
        __builtin_add_overflow(totalNet, tax->net, &totalNet) ||
        __builtin_add_overflow(totalGross, tax->gross, &totalGross)) {
      failure = Result::invalid("amounts too large to tax in 64-bit minor units (line " + taxable.id + ")");
      return nullptr;
    }
    Poco::JSON::Object::Ptr jurisdiction = common::makeObject();
    jurisdiction->set("country", shipTo->country);
    if (!rate->region.empty()) jurisdiction->set("region", rate->region);
    Poco::JSON::Object::Ptr rounding = common::makeObject();
    rounding->set("mode", "half_up");
    rounding->set("decimals", decimals);
    rounding->set("unrounded_tax", tax->unroundedTax);

    Poco::JSON::Object::Ptr out = common::makeObject();
    out->set("id", taxable.id);
    out->set("tax_class", taxable.taxClass);
    out->set("rate_percent", rate->percent);
    if (!rate->name.empty()) out->set("tax_name", rate->name);
    out->set("jurisdiction", jurisdiction);
    out->set("net_amount", common::moneyJson(Money{tax->net, *currency}));
    out->set("tax_amount", common::moneyJson(Money{tax->tax, *currency}));
    out->set("gross_amount", common::moneyJson(Money{tax->gross, *currency}));
    out->set("rounding", rounding);
    return out;
  };

  Poco::JSON::Array::Ptr lineResults = common::makeArray();
  for (const Taxable& line : lines) {
    Poco::JSON::Object::Ptr result = taxLine(line);
    if (failure) return *failure;
    lineResults->add(result);
  }
  Poco::JSON::Object::Ptr shippingResult;
  if (shipping) {
    shippingResult = taxLine(*shipping);
    if (failure) return *failure;
  }

  // What commit would need to report the calculation; this plugin reports nothing.
  Poco::JSON::Object::Ptr data = common::makeObject();
  data->set("total_tax", common::moneyJson(Money{totalTax, *currency}));
  data->set("prices_include_tax", inclusive);

  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("currency", *currency);
  out->set("prices_include_tax", inclusive);
  out->set("lines", lineResults);
  if (shippingResult) out->set("shipping", shippingResult);
  out->set("total_tax", common::moneyJson(Money{totalTax, *currency}));
  out->set("total_net", common::moneyJson(Money{totalNet, *currency}));
  out->set("total_gross", common::moneyJson(Money{totalGross, *currency}));
  out->set("provider_data", data);
  return Result::ok(common::toJson(out));
}

Result RateTableInstance::commitTax(const osp::sdk::Call&, std::string_view request) {
  return transactionAcknowledgement(request, "committed");
}

Result RateTableInstance::voidTax(const osp::sdk::Call&, std::string_view request) {
  return transactionAcknowledgement(request, "voided");
}

}  // namespace ordersvc::plugins::rate_table
