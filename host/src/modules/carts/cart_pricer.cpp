#include "modules/carts/cart_pricer.h"

#include <algorithm>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "domain/coupon.h"
#include "domain/money.h"
#include "modules/carts/coupon_store.h"

namespace ordersvc::services {

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

Object::Ptr money(int64_t minor, const std::string& currency) {
  Object::Ptr m = new Object;
  m->set("value", minor);
  m->set("currency", currency);
  return m;
}

Object::Ptr parseObject(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
}

// The address fields the plugin schemas know (common.json#/$defs/address).
Object::Ptr pluginAddress(const Object::Ptr& address) {
  Object::Ptr out = new Object;
  for (const char* field : {"line1", "line2", "city", "region", "postal_code", "country"}) {
    if (address->has(field) && !address->getValue<std::string>(field).empty()) {
      out->set(field, address->getValue<std::string>(field));
    }
  }
  return out;
}

Error unprocessable(const std::string& message) {
  return Error::unprocessable(message);
}

// "local-courier:standard" names the instance; "standard" lets any carrier quote it.
std::pair<std::string, std::string> splitMethod(const std::string& method) {
  const auto colon = method.find(':');
  if (colon == std::string::npos) return {"", method};
  return {method.substr(0, colon), method.substr(colon + 1)};
}

// The coupon's discount on `subtotal`. A coupon that no longer applies is an error when
// strict, else a notice on the quote.
Result<int64_t> priceCoupon(storage::Connection& connection, const domain::Cart& cart, int64_t subtotal, int64_t nowMs,
                            bool strict, CartQuote& quote) {
  int64_t discount = 0;
  if (!cart.couponCode) return discount;
  const auto coupon = storage::coupon_store::find(connection, cart.organizationId, *cart.couponCode);
  if (!coupon) {
    if (strict) return unprocessable("coupon " + *cart.couponCode + " no longer exists");
    quote.couponNotice = "coupon " + *cart.couponCode + " no longer exists";
  } else {
    const int64_t used = cart.customerId ? storage::coupon_store::redemptionsBy(connection, cart.organizationId,
                                                                                coupon->code, *cart.customerId)
                                         : 0;
    auto effect = domain::evaluateCoupon(*coupon, subtotal, cart.currency, nowMs, used);
    if (!effect) {
      if (strict) return effect.error();
      quote.couponNotice = effect.error().message;
    } else {
      discount = effect->discountMinor;
      quote.couponFreeShipping = effect->freeShipping;
    }
  }
  return discount;
}

// What carrier.quote_rates is asked: one parcel of the cart's weight, one service.
std::string carrierQuoteRequest(const Object::Ptr& shipTo, const std::vector<domain::PricingLine>& lines,
                                const std::string& serviceCode) {
  Object::Ptr request = new Object;
  request->set("ship_to", pluginAddress(shipTo));
  Array::Ptr parcels = new Array;
  Object::Ptr parcel = new Object;
  parcel->set("weight_grams", std::max<int64_t>(1, domain::totalWeightOf(lines)));
  parcels->add(parcel);
  request->set("parcels", parcels);
  Array::Ptr services = new Array;
  services->add(serviceCode);
  request->set("services", services);
  return stringify(request);
}

// One carrier's answer: the rate of `serviceCode` in the cart's currency (recorded on the
// quote), or nothing, leaving in `refusal` why this carrier does not ship it.
std::optional<int64_t> carrierRate(const Object::Ptr& body, const std::string& instance, const std::string& serviceCode,
                                   const std::string& currency, const Object::Ptr& shipTo, CartQuote& quote,
                                   std::string& refusal) {
  const Array::Ptr rates = body->getArray("rates");
  for (std::size_t i = 0; rates && i < rates->size(); ++i) {
    const Object::Ptr rate = rates->getObject(static_cast<unsigned>(i));
    if (rate->getValue<std::string>("service_code") != serviceCode) continue;
    const Object::Ptr amount = rate->getObject("amount");
    if (amount->getValue<std::string>("currency") != currency) {
      refusal = instance + " quotes " + serviceCode + " in " + amount->getValue<std::string>("currency") +
                ", the cart is in " + currency;
      continue;
    }
    const int64_t value = amount->getValue<int64_t>("value");
    quote.shippingInstance = instance;
    quote.shippingServiceName = rate->optValue<std::string>("service_name", serviceCode);
    return value;
  }
  const Array::Ptr unavailable = body->getArray("unavailable");
  for (std::size_t i = 0; unavailable && i < unavailable->size(); ++i) {
    const Object::Ptr u = unavailable->getObject(static_cast<unsigned>(i));
    const std::string reason = u->getValue<std::string>("reason");
    const std::string country = shipTo->optValue<std::string>("country", "");
    refusal = reason == "destination_not_served"
                  ? "the carrier " + instance + " does not ship " + serviceCode + " to " + country
                  : "the carrier " + instance + " cannot ship " + serviceCode + " (" + reason + ")";
  }
  return std::nullopt;
}

// Shipping from the first carrier that quotes the cart's method to its address (zero when
// quote.shippingFree). What keeps it unpriced is an error when strict, else a notice.
Result<int64_t> quoteShipping(PluginGateway& plugins, const domain::Cart& cart, const Object::Ptr& shipTo,
                              const std::vector<domain::PricingLine>& lines, const std::string& requestId, bool strict,
                              CartQuote& quote) {
  int64_t shipping = 0;
  if (!cart.shippingMethod || !shipTo) {
    const std::string notice = "choose a shipping method and address to price shipping";
    if (strict) return unprocessable(notice);
    quote.shippingNotice = notice;
    return shipping;
  }
  if (cart.items.empty()) return shipping;
  const auto [wantedInstance, serviceCode] = splitMethod(*cart.shippingMethod);
  std::vector<std::string> carriers = plugins.activeInstances(cart.organizationId, "carrier");
  if (!wantedInstance.empty()) {
    carriers.erase(
        std::remove_if(carriers.begin(), carriers.end(), [&](const auto& id) { return id != wantedInstance; }),
        carriers.end());
  }
  const std::string requestJson = carrierQuoteRequest(shipTo, lines, serviceCode);
  std::string refusal;
  bool priced = false;
  for (const auto& instance : carriers) {
    auto result = plugins.call(cart.organizationId, instance, "carrier.quote_rates", requestJson, requestId, "");
    if (!result) return result.error();
    const Object::Ptr body = parseObject(*result);
    if (auto rate = carrierRate(body, instance, serviceCode, cart.currency, shipTo, quote, refusal)) {
      shipping = *rate;
      priced = true;
      break;
    }
  }
  if (!priced) {
    if (refusal.empty()) refusal = "no carrier offers the shipping method " + *cart.shippingMethod;
    if (strict) return unprocessable(refusal);
    quote.shippingNotice = refusal;
  }
  if (quote.shippingFree) shipping = 0;
  return shipping;
}

// What tax.calculate is asked, but for the destination: the discounted lines and shipping.
Object::Ptr taxRequest(const domain::Cart& cart, const std::vector<int64_t>& lineDiscounts, int64_t shipping) {
  const std::string& currency = cart.currency;
  Object::Ptr request = new Object;
  request->set("reference", cart.id);
  request->set("currency", currency);
  Array::Ptr taxLines = new Array;
  for (std::size_t i = 0; i < cart.items.size(); ++i) {
    const auto& item = cart.items[i];
    Object::Ptr line = new Object;
    line->set("id", "line" + std::to_string(i));
    line->set("amount", money(item.unitPriceMinor * item.quantity - lineDiscounts[i], currency));
    line->set("quantity", item.quantity);
    line->set("tax_class", item.taxClass);
    taxLines->add(line);
  }
  request->set("lines", taxLines);
  if (shipping > 0) {
    Object::Ptr ship = new Object;
    ship->set("amount", money(shipping, currency));
    request->set("shipping", ship);
  }
  return request;
}

struct TaxAnswer {
  int64_t tax = 0;
  bool pricesIncludeTax = false;
};

// Tax from the organization's first tax plugin, per line into quote.lineTax; none without
// a tax plugin, cart lines or a destination country.
Result<TaxAnswer> quoteTax(PluginGateway& plugins, const domain::Cart& cart, const Object::Ptr& shipTo,
                           const std::string& organizationCountry, const std::vector<int64_t>& lineDiscounts,
                           int64_t shipping, const std::string& requestId, CartQuote& quote) {
  TaxAnswer answer;
  quote.lineTax.assign(cart.items.size(), 0);
  const auto taxInstances = plugins.activeInstances(cart.organizationId, "tax");
  if (taxInstances.empty() || cart.items.empty()) return answer;
  Object::Ptr destination = shipTo ? pluginAddress(shipTo) : Object::Ptr(new Object);
  // Without an address yet, tax as the organization's own country would.
  if (!destination->has("country")) destination->set("country", organizationCountry);
  Object::Ptr request = taxRequest(cart, lineDiscounts, shipping);
  if (destination->has("country") && !destination->getValue<std::string>("country").empty()) {
    request->set("ship_to", destination);
    auto result =
        plugins.call(cart.organizationId, taxInstances.front(), "tax.calculate", stringify(request), requestId, "");
    if (!result) return result.error();
    const Object::Ptr body = parseObject(*result);
    answer.tax = body->getObject("total_tax")->getValue<int64_t>("value");
    answer.pricesIncludeTax = body->getValue<bool>("prices_include_tax");
    const Array::Ptr resultLines = body->getArray("lines");
    for (std::size_t i = 0; resultLines && i < resultLines->size(); ++i) {
      const Object::Ptr line = resultLines->getObject(static_cast<unsigned>(i));
      const std::string id = line->getValue<std::string>("id");
      const std::size_t index = static_cast<std::size_t>(std::stoul(id.substr(4)));
      if (index < quote.lineTax.size()) {
        quote.lineTax[index] = line->getObject("tax_amount")->getValue<int64_t>("value");
      }
    }
  }
  return answer;
}

}  // namespace

Result<CartQuote> CartPricer::price(storage::Connection& connection, const domain::Cart& cart,
                                    const std::string& organizationCountry, const std::string& requestId, int64_t nowMs,
                                    bool strict) const {
  CartQuote quote;
  const std::string& currency = cart.currency;
  std::vector<domain::PricingLine> lines;
  for (const auto& item : cart.items) {
    lines.push_back({item.id, item.unitPriceMinor, item.quantity, item.weightGrams});
  }
  const auto checkedSubtotal = domain::subtotalOf(lines, currency);
  if (!checkedSubtotal) return checkedSubtotal.error();
  const int64_t subtotal = *checkedSubtotal;

  auto discount = priceCoupon(connection, cart, subtotal, nowMs, strict, quote);
  if (!discount) return discount.error();
  const auto lineDiscounts = domain::spreadDiscount(lines, *discount);

  Object::Ptr shipTo;
  if (cart.shippingAddressJson) shipTo = parseObject(*cart.shippingAddressJson);
  auto threshold = domain::parseMajorUnits(settings_.freeShippingThreshold, currency);
  const int64_t thresholdMinor = threshold ? *threshold : 0;
  quote.shippingFree = domain::shippingIsFree(subtotal - *discount, thresholdMinor, quote.couponFreeShipping);
  auto shipping = quoteShipping(plugins_, cart, shipTo, lines, requestId, strict, quote);
  if (!shipping) return shipping.error();

  auto tax = quoteTax(plugins_, cart, shipTo, organizationCountry, lineDiscounts, *shipping, requestId, quote);
  if (!tax) return tax.error();
  auto totals =
      domain::composeTotals(currency, subtotal, *discount, *shipping, tax->tax, tax->pricesIncludeTax, lineDiscounts);
  if (!totals) return totals.error();
  quote.totals = std::move(*totals);
  return quote;
}

}  // namespace ordersvc::services
