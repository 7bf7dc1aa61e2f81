#include "services/cart_pricer.h"

#include <algorithm>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "domain/coupon.h"
#include "domain/money.h"
#include "storage/coupon_store.h"

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

Error unprocessable(const std::string& message) { return Error{ErrorCode::Unprocessable, message}; }

// "local-courier:standard" names the instance; "standard" lets any carrier quote it.
std::pair<std::string, std::string> splitMethod(const std::string& method) {
  const auto colon = method.find(':');
  if (colon == std::string::npos) return {"", method};
  return {method.substr(0, colon), method.substr(colon + 1)};
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
  const int64_t subtotal = domain::subtotalOf(lines);

  // Coupon.
  int64_t discount = 0;
  if (cart.couponCode) {
    const auto coupon = storage::coupon_store::find(connection, cart.organizationId, *cart.couponCode);
    if (!coupon) {
      if (strict) return unprocessable("coupon " + *cart.couponCode + " no longer exists");
      quote.couponNotice = "coupon " + *cart.couponCode + " no longer exists";
    } else {
      const int64_t used = cart.customerId ? storage::coupon_store::redemptionsBy(connection, cart.organizationId,
                                                                                   coupon->code, *cart.customerId)
                                           : 0;
      auto effect = domain::evaluateCoupon(*coupon, subtotal, currency, nowMs, used);
      if (!effect) {
        if (strict) return effect.error();
        quote.couponNotice = effect.error().message;
      } else {
        discount = effect->discountMinor;
        quote.couponFreeShipping = effect->freeShipping;
      }
    }
  }
  const auto lineDiscounts = domain::spreadDiscount(lines, discount);

  // Shipping.
  int64_t shipping = 0;
  Object::Ptr shipTo;
  if (cart.shippingAddressJson) shipTo = parseObject(*cart.shippingAddressJson);
  auto threshold = domain::parseMajorUnits(settings_.freeShippingThreshold, currency);
  const int64_t thresholdMinor = threshold ? *threshold : 0;
  quote.shippingFree = domain::shippingIsFree(subtotal - discount, thresholdMinor, quote.couponFreeShipping);
  if (!cart.shippingMethod || !shipTo) {
    const std::string notice = "choose a shipping method and address to price shipping";
    if (strict) return unprocessable(notice);
    quote.shippingNotice = notice;
  } else if (!cart.items.empty()) {
    const auto [wantedInstance, serviceCode] = splitMethod(*cart.shippingMethod);
    std::vector<std::string> carriers = plugins_.activeInstances(cart.organizationId, "carrier");
    if (!wantedInstance.empty()) {
      carriers.erase(std::remove_if(carriers.begin(), carriers.end(), [&](const auto& id) { return id != wantedInstance; }),
                     carriers.end());
    }
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
    const std::string requestJson = stringify(request);
    std::string refusal;
    bool priced = false;
    for (const auto& instance : carriers) {
      auto result = plugins_.call(cart.organizationId, instance, "carrier.quote_rates", requestJson, requestId, "");
      if (!result) return result.error();
      const Object::Ptr body = parseObject(*result);
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
        shipping = amount->getValue<int64_t>("value");
        quote.shippingInstance = instance;
        quote.shippingServiceName = rate->optValue<std::string>("service_name", serviceCode);
        priced = true;
        break;
      }
      if (priced) break;
      const Array::Ptr unavailable = body->getArray("unavailable");
      for (std::size_t i = 0; unavailable && i < unavailable->size(); ++i) {
        const Object::Ptr u = unavailable->getObject(static_cast<unsigned>(i));
        const std::string reason = u->getValue<std::string>("reason");
        const std::string country = shipTo->optValue<std::string>("country", "");
        refusal = reason == "destination_not_served"
                      ? "the carrier " + instance + " does not ship " + serviceCode + " to " + country
                      : "the carrier " + instance + " cannot ship " + serviceCode + " (" + reason + ")";
      }
    }
    if (!priced) {
      if (refusal.empty()) refusal = "no carrier offers the shipping method " + *cart.shippingMethod;
      if (strict) return unprocessable(refusal);
      quote.shippingNotice = refusal;
    }
    if (quote.shippingFree) shipping = 0;
  }

  // Tax.
  int64_t tax = 0;
  bool pricesIncludeTax = false;
  quote.lineTax.assign(cart.items.size(), 0);
  const auto taxInstances = plugins_.activeInstances(cart.organizationId, "tax");
  if (!taxInstances.empty() && !cart.items.empty()) {
    Object::Ptr request = new Object;
    request->set("reference", cart.id);
    request->set("currency", currency);
    Object::Ptr destination = shipTo ? pluginAddress(shipTo) : Object::Ptr(new Object);
    // Without an address yet, tax as the organization's own country would.
    if (!destination->has("country")) destination->set("country", organizationCountry);
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
    if (destination->has("country") && !destination->getValue<std::string>("country").empty()) {
      request->set("ship_to", destination);
      auto result = plugins_.call(cart.organizationId, taxInstances.front(), "tax.calculate", stringify(request),
                                  requestId, "");
      if (!result) return result.error();
      const Object::Ptr body = parseObject(*result);
      tax = body->getObject("total_tax")->getValue<int64_t>("value");
      pricesIncludeTax = body->getValue<bool>("prices_include_tax");
      const Array::Ptr resultLines = body->getArray("lines");
      for (std::size_t i = 0; resultLines && i < resultLines->size(); ++i) {
        const Object::Ptr line = resultLines->getObject(static_cast<unsigned>(i));
        const std::string id = line->getValue<std::string>("id");
        const std::size_t index = static_cast<std::size_t>(std::stoul(id.substr(4)));
        if (index < quote.lineTax.size()) quote.lineTax[index] = line->getObject("tax_amount")->getValue<int64_t>("value");
      }
    }
  }
  quote.totals = domain::composeTotals(subtotal, discount, shipping, tax, pricesIncludeTax, lineDiscounts);
  return quote;
}

}  // namespace ordersvc::services
