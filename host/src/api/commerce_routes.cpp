#include "api/access.h"

#include <chrono>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include "api/commerce_json.h"
#include "api/commerce_routes.h"
#include "api/idempotency.h"
#include "api/request_fields.h"
#include "common/ids.h"
#include "domain/money.h"
#include "services/cache_keys.h"
#include "services/commerce_settings.h"
#include "services/json_util.h"
#include "storage/address_store.h"
#include "storage/coupon_store.h"
#include "storage/outbox_store.h"
#include "storage/sql_errors.h"

namespace ordersvc::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;



Response cartResponse(const Result<services::CartView>& view, int status = 200) {
  if (!view) return failureResponse(view.error());
  return successResponse(cartJson(*view), status);
}

// A cached rendering: who may read it, and the JSON of `data`.
struct Cached {
  std::optional<std::string> customerId;
  std::optional<std::string> tokenHash;
  std::string dataJson;
};

std::string packCached(const Cached& cached) {
  Object::Ptr out = new Object;
  if (cached.customerId) out->set("customer_id", *cached.customerId);
  if (cached.tokenHash) out->set("token_hash", *cached.tokenHash);
  out->set("data", cached.dataJson);
  return services::toJsonText(out);
}

std::optional<Cached> unpackCached(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  try {
    const Object::Ptr in = services::parseJsonObject(*text);
    Cached cached;
    if (in->has("customer_id")) cached.customerId = in->getValue<std::string>("customer_id");
    if (in->has("token_hash")) cached.tokenHash = in->getValue<std::string>("token_hash");
    cached.dataJson = in->getValue<std::string>("data");
    return cached;
  } catch (...) {
    return std::nullopt;  // an entry we cannot read is a miss
  }
}

// The success envelope around JSON text already rendered; X-Cache says where it came from.
Response renderedSuccess(const std::string& dataJson, bool fromCache) {
  Response response;
  response.body = "{\"status\":\"success\",\"data\":" + dataJson + "}";
  response.headers.emplace_back("X-Cache", fromCache ? "hit" : "miss");
  return response;
}

Response orderResponse(const Result<domain::Order>& order, int status = 200) {
  if (!order) return failureResponse(order.error());
  return successResponse(orderJson(*order), status);
}

}  // namespace

void addCommerceRoutes(Router& outer, CommerceDependencies deps) {
  const Authenticator& auth = deps.authenticator;
  // Every commerce route is rate limited; registering through this wrapper says so once.
  struct LimitedRouter {
    Router& router;
    RateLimiter& limiter;
    const Authenticator& authenticator;
    RateLimits limits;
    void add(std::string method, std::string pattern, Handler handler) {
      router.add(std::move(method), std::move(pattern), rateLimited(limiter, authenticator, limits, std::move(handler)));
    }
  } router{outer, deps.limiter, deps.authenticator, deps.limits};
  auto& carts = deps.carts;
  auto& orders = deps.orders;
  auto& database = deps.database;
  auto post = [&](const std::string& pattern, Handler handler) {
    router.add("POST", pattern, idempotent(database, auth, std::move(handler)));
  };

  // --- Catalog (public to the organization's shoppers) ---
  router.add("GET", "/api/v1/products", [&auth, &catalog = deps.catalog](const Request& request) {
    auto actor = actorFor(auth, request, true);
    if (!actor) return failureResponse(actor.error());
    auto query = queryOf(request);
    int limit = 50;
    try {
      if (query.count("limit")) limit = std::clamp(std::stoi(query["limit"]), 1, 200);
    } catch (...) {
      return failureResponse(Error::invalidArgument("limit: an integer from 1 to 200"));
    }
    auto products = catalog.listProducts(actor->organizationId, query["after"], limit);
    if (!products) return failureResponse(products.error());
    Array::Ptr list = new Array;
    for (const auto& p : *products) {
      Object::Ptr product = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      product->set("id", p.productId);
      product->set("name", p.name);
      product->set("description", p.description);
      product->set("tax_class", p.taxClass);
      Array::Ptr variants = new Array;
      for (const auto& v : p.variants) {
        Object::Ptr variant = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        variant->set("id", v.variantId);
        variant->set("sku", v.sku);
        variant->set("name", v.name);
        Object::Ptr prices = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& [currency, amount] : v.prices) prices->set(currency, moneyValue(amount, currency));
        variant->set("prices", prices);
        variant->set("weight_grams", v.weightGrams);
        variants->add(variant);
      }
      product->set("variants", variants);
      list->add(product);
    }
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("products", list);
    out->set("next_cursor", products->size() == static_cast<std::size_t>(limit) ? Poco::Dynamic::Var(products->back().productId)
                                                                                 : Poco::Dynamic::Var());
    return successResponse(out);
  });

  // --- Carts ---
  post("/api/v1/carts", [&auth, &carts](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, true);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      services::CartDetails details;
      auto currency = f.text("currency", false, 3);
      details.shippingMethod = f.text("shipping_method", false, 80);
      details.shippingAddressJson = f.address("shipping_address", true);
      details.email = f.text("email", false, 254);
      if (!f.ok()) return f.failure();
      return cartResponse(carts.create(*actor, currency, details, request.requestId), 201);
    });
  });
  integrations::Cache& cache = deps.cache;
  const auto cartTtl = deps.cartTtl;
  const auto orderTtl = deps.orderTtl;
  router.add("GET", "/api/v1/carts/{cart_id}", [&auth, &carts, &cache, cartTtl](const Request& request) {
    auto actor = actorFor(auth, request, true);
    if (!actor) return failureResponse(actor.error());
    const std::string key = services::cartCacheKey(actor->organizationId, request.params.at("cart_id"));
    if (auto hit = unpackCached(cache.get(key))) {
      domain::Cart owner;
      owner.organizationId = actor->organizationId;
      owner.id = request.params.at("cart_id");
      owner.customerId = hit->customerId;
      if (services::checkCartAccess(*actor, owner, hit->tokenHash)) return renderedSuccess(hit->dataJson, true);
      return failureResponse(Error::notFound("cart " + owner.id + " not found"));
    }
    auto view = carts.get(*actor, request.params.at("cart_id"), request.requestId);
    if (!view) return failureResponse(view.error());
    const std::string data = services::toJsonText(cartJson(*view));
    cache.put(key, packCached({view->cart.customerId, view->tokenHash, data}), cartTtl);
    return renderedSuccess(data, false);
  });
  router.add("PATCH", "/api/v1/carts/{cart_id}", [&auth, &carts](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, true);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      services::CartDetails details;
      details.shippingMethod = f.text("shipping_method", false, 80);
      details.shippingAddressJson = f.address("shipping_address", true);
      details.email = f.text("email", false, 254);
      if (!f.ok()) return f.failure();
      return cartResponse(carts.update(*actor, request.params.at("cart_id"), details, request.requestId));
    });
  });
  post("/api/v1/carts/{cart_id}/items", [&auth, &carts](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, true);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      auto variant = f.text("variant_id", true, 100);
      auto quantity = f.integer("quantity", true, 1, 1000000);
      if (!f.ok()) return f.failure();
      return cartResponse(carts.addItem(*actor, request.params.at("cart_id"), *variant, *quantity, request.requestId), 201);
    });
  });
  router.add("PATCH", "/api/v1/carts/{cart_id}/items/{item_id}", [&auth, &carts](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, true);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      auto quantity = f.integer("quantity", true, 1, 1000000);
      if (!f.ok()) return f.failure();
      return cartResponse(carts.setItemQuantity(*actor, request.params.at("cart_id"), request.params.at("item_id"),
                                                *quantity, request.requestId));
    });
  });
  router.add("DELETE", "/api/v1/carts/{cart_id}/items/{item_id}", [&auth, &carts](const Request& request) {
    auto actor = actorFor(auth, request, true);
    if (!actor) return failureResponse(actor.error());
    return cartResponse(carts.removeItem(*actor, request.params.at("cart_id"), request.params.at("item_id"), request.requestId));
  });
  post("/api/v1/carts/{cart_id}/coupons", [&auth, &carts](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, true);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      auto code = f.text("code", true, 40);
      if (!f.ok()) return f.failure();
      return cartResponse(carts.applyCoupon(*actor, request.params.at("cart_id"), *code, request.requestId));
    });
  });
  router.add("DELETE", "/api/v1/carts/{cart_id}/coupons", [&auth, &carts](const Request& request) {
    auto actor = actorFor(auth, request, true);
    if (!actor) return failureResponse(actor.error());
    return cartResponse(carts.removeCoupon(*actor, request.params.at("cart_id"), request.requestId));
  });
  post("/api/v1/carts/{cart_id}/merge", [&auth, &carts](const Request& request) {
    auto actor = actorFor(auth, request, false);
    if (!actor) return failureResponse(actor.error());
    return cartResponse(carts.mergeGuestCart(*actor, request.params.at("cart_id"), request.requestId));
  });
  post("/api/v1/carts/recover", [&auth, &carts](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, true);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      auto token = f.text("token", true, 200);
      if (!f.ok()) return f.failure();
      return cartResponse(carts.recover(actor->organizationId, *token, request.requestId));
    });
  });

  // --- Addresses (a customer's own) ---
  router.add("GET", "/api/v1/addresses", [&auth, &database](const Request& request) {
    auto actor = actorFor(auth, request, false);
    if (!actor) return failureResponse(actor.error());
    auto connection = database.acquire();
    if (!connection) return failureResponse(connection.error());
    Array::Ptr list = new Array;
    for (const auto& a : storage::address_store::list(*connection, actor->organizationId, actor->subject)) {
      Object::Ptr entry = services::parseJsonObject(a.bodyJson);
      entry->set("id", a.id);
      list->add(entry);
    }
    Object::Ptr out = new Object;
    out->set("addresses", list);
    return successResponse(out);
  });
  post("/api/v1/addresses", [&auth, &database](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, false);
      if (!actor) return failureResponse(actor.error());
      Object::Ptr wrapper = new Object;
      wrapper->set("address", bodyOf(request));
      Fields f(wrapper);
      auto body = f.address("address", true);
      if (!f.ok()) return f.failure();
      auto connection = database.acquire();
      if (!connection) return failureResponse(connection.error());
      storage::address_store::StoredAddress address{newId("addr"), actor->subject, *body, services::systemNowMs()};
      storage::address_store::insert(*connection, actor->organizationId, address);
      Object::Ptr out = services::parseJsonObject(*body);
      out->set("id", address.id);
      return successResponse(out, 201);
    });
  });
  router.add("DELETE", "/api/v1/addresses/{address_id}", [&auth, &database](const Request& request) {
    auto actor = actorFor(auth, request, false);
    if (!actor) return failureResponse(actor.error());
    auto connection = database.acquire();
    if (!connection) return failureResponse(connection.error());
    if (!storage::address_store::remove(*connection, actor->organizationId, actor->subject, request.params.at("address_id"))) {
      return failureResponse(Error::notFound("address " + request.params.at("address_id") + " not found"));
    }
    return successResponse(Poco::Dynamic::Var(Object::Ptr(new Object)));
  });

  // --- Checkout and orders ---
  post("/api/v1/orders/from-cart", [&auth, &checkout = deps.checkout](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, false);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      services::CheckoutRequest in;
      in.requestId = request.requestId;
      auto cartId = f.text("cart_id", true, 100);
      in.shippingAddressId = f.text("shipping_address_id", false, 100);
      in.billingAddressId = f.text("billing_address_id", false, 100);
      in.shippingAddressJson = f.address("shipping_address", true);
      in.billingAddressJson = f.address("billing_address", false);
      in.shippingMethod = f.text("shipping_method", false, 80);
      in.paymentMethod = f.text("payment_method", false, 80);
      in.customerId = f.text("customer_id", false, 200);
      if (auto type = f.text("order_type", false, 20)) {
        auto parsed = domain::parseOrderType(*type);
        if (!parsed) f.problem("order_type", "one of online, pos, phone, b2b, subscription");
        else in.type = *parsed;
      }
      if (in.type == domain::OrderType::B2b) {
        Object::Ptr b2b = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        auto po = f.text("purchase_order_number", true, 60);
        auto taxId = f.text("buyer_tax_id", true, 30);
        auto terms = f.integer("net_terms_days", false, 0, 180);
        if (po) b2b->set("purchase_order_number", *po);
        if (taxId) b2b->set("buyer_tax_id", *taxId);
        b2b->set("net_terms_days", terms.value_or(30));
        in.b2bDetailsJson = services::toJsonText(b2b);
      }
      // Without shipping_address_id or shipping_address the cart's own address is used
      // (PATCH /api/v1/carts/{id}); the checkout says so when the cart has none either.
      if (!f.ok()) return f.failure();
      in.cartId = *cartId;
      auto order = checkout.checkout(*actor, in);
      if (!order) return failureResponse(order.error());
      return successResponse(checkoutJson(*order), 201);
    });
  });
  router.add("GET", "/api/v1/orders", [&auth, &orders](const Request& request) {
    auto actor = actorFor(auth, request, false);
    if (!actor) return failureResponse(actor.error());
    auto q = queryOf(request);
    storage::OrderQuery query;
    try {
      if (q.count("status")) {
        if (!domain::parseOrderStatus(q["status"])) return failureResponse(Error::invalidArgument("status: not an order status"));
        query.status = q["status"];
      }
      if (q.count("type")) {
        if (!domain::parseOrderType(q["type"])) return failureResponse(Error::invalidArgument("type: not an order type"));
        query.type = q["type"];
      }
      if (q.count("customer_id") && actor->staff) query.customerId = q["customer_id"];
      if (q.count("created_from")) query.createdFromMs = std::stoll(q["created_from"]);
      if (q.count("created_to")) query.createdToMs = std::stoll(q["created_to"]);
      if (q.count("sort")) {
        if (q["sort"] != "created_at" && q["sort"] != "-created_at") {
          return failureResponse(Error::invalidArgument("sort: created_at or -created_at"));
        }
        query.newestFirst = q["sort"] == "-created_at";
      }
      if (q.count("limit")) query.limit = std::clamp(std::stoi(q["limit"]), 1, 100);
      if (q.count("cursor")) {
        const std::string cursor = q["cursor"];
        const auto dot = cursor.find('.');
        if (dot == std::string::npos) return failureResponse(Error::invalidArgument("cursor: use next_cursor from the last page"));
        query.after = std::make_pair(std::stoll(cursor.substr(0, dot)), cursor.substr(dot + 1));
      }
    } catch (const std::exception&) {
      return failureResponse(Error::invalidArgument("created_from / created_to / limit: integers (epoch ms for dates)"));
    }
    auto found = orders.list(*actor, query);
    if (!found) return failureResponse(found.error());
    Array::Ptr list = new Array;
    for (const auto& order : *found) list->add(orderSummaryJson(order));
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("orders", list);
    out->set("next_cursor", found->size() == static_cast<std::size_t>(query.limit)
                                ? Poco::Dynamic::Var(std::to_string(found->back().createdAtMs) + "." + found->back().id)
                                : Poco::Dynamic::Var());
    return successResponse(out);
  });
  router.add("GET", "/api/v1/orders/{order_id}", [&auth, &orders, &cache, orderTtl](const Request& request) {
    auto actor = actorFor(auth, request, false);
    if (!actor) return failureResponse(actor.error());
    const std::string& orderId = request.params.at("order_id");
    const std::string key = services::orderCacheKey(actor->organizationId, orderId);
    if (auto hit = unpackCached(cache.get(key))) {
      if (actor->staff || (hit->customerId && *hit->customerId == actor->subject)) {
        return renderedSuccess(hit->dataJson, true);
      }
      return failureResponse(Error::notFound("order " + orderId + " not found"));
    }
    auto order = orders.get(*actor, orderId);
    if (!order) return failureResponse(order.error());
    const std::string data = services::toJsonText(orderJson(*order));
    cache.put(key, packCached({order->customerId, std::nullopt, data}), orderTtl);
    return renderedSuccess(data, false);
  });
  post("/api/v1/orders/{order_id}/cancel", [&auth, &orders](const Request& request) {
    return guarded([&] {
      auto actor = actorFor(auth, request, false);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      auto reason = f.text("reason", false, 500);
      if (!f.ok()) return f.failure();
      return orderResponse(orders.cancel(*actor, request.params.at("order_id"), reason.value_or("")));
    });
  });
  post("/api/v1/orders/{order_id}/actions/{action}", [&auth, &orders](const Request& request) {
    return guarded([&] {
      const auto action = domain::parseOrderAction(request.params.at("action"));
      using A = domain::OrderAction;
      // Payment and checkout actions happen through their own endpoints.
      if (!action || *action == A::Place || *action == A::StartPayment || *action == A::PaymentSucceeded ||
          *action == A::PaymentFailed || *action == A::Cancel) {
        return failureResponse(Error::notFound("no action " + request.params.at("action") + " (use cancel or payments for those)"));
      }
      const Permission needed = *action == A::RequestReturn    ? Permission::ShopAsCustomer
                                : *action == A::ConfirmOnTerms ? Permission::ManageOrders
                                                               : Permission::UpdateOrders;
      auto actor = requireActor(auth, request, needed);
      if (!actor) return failureResponse(actor.error());
      Fields f(bodyOf(request));
      auto note = f.text("note", false, 500);
      if (!f.ok()) return f.failure();
      return orderResponse(orders.act(*actor, request.params.at("order_id"), *action, note.value_or("")));
    });
  });

  // --- Events (the outbox, for deployments without a broker) ---
  router.add("GET", "/api/v1/events", [&auth, &database](const Request& request) {
    auto actor = requireActor(auth, request, Permission::ReadEvents);
    if (!actor) return failureResponse(actor.error());
    auto q = queryOf(request);
    int64_t after = 0;
    int limit = 100;
    try {
      if (q.count("cursor")) after = std::stoll(q["cursor"]);
      if (q.count("limit")) limit = std::clamp(std::stoi(q["limit"]), 1, 500);
    } catch (...) {
      return failureResponse(Error::invalidArgument("cursor and limit are integers"));
    }
    auto connection = database.acquire();
    if (!connection) return failureResponse(connection.error());
    std::optional<std::string> type;
    if (q.count("type")) type = q["type"];
    Array::Ptr list = new Array;
    int64_t last = after;
    for (const auto& e : storage::outbox_store::list(*connection, actor->organizationId, after, limit, type)) {
      Object::Ptr event = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      event->set("id", e.id);
      event->set("type", e.type);
      event->set("organization_id", e.organizationId);
      event->set("occurred_at", rfc3339(e.occurredAtMs));
      event->set("data", Poco::JSON::Parser().parse(e.dataJson));
      event->set("published", e.sentAtMs.has_value());
      list->add(event);
      last = e.seq;
    }
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("events", list);
    out->set("next_cursor", std::to_string(last));
    return successResponse(out);
  });

  // --- Catalog administration (managers and admins) ---
  router.add("PUT", "/api/v1/admin/products/{product_id}", [&auth, local = deps.localCatalog](const Request& request) {
    return guarded([&] {
      auto actor = requireActor(auth, request, Permission::ManageCatalog);
      if (!actor) return failureResponse(actor.error());
      if (!local) return failureResponse(Error{ErrorCode::Unprocessable, "the catalog is the Catalog service (CATALOG_GRPC_HOST); edit it there"});
      Object::Ptr body = bodyOf(request);
      Fields f(body);
      integrations::ProductUpsert upsert;
      upsert.product.productId = request.params.at("product_id");
      upsert.product.name = f.text("name", true, 200).value_or("");
      upsert.product.description = body->optValue<std::string>("description", "");
      upsert.product.taxClass = f.text("tax_class", false, 40).value_or("standard");
      upsert.active = body->optValue<bool>("active", true);
      const Array::Ptr variants = body->getArray("variants");
      if (!variants || variants->size() == 0) f.problem("variants", "at least one variant is required");
      for (std::size_t i = 0; variants && i < variants->size(); ++i) {
        const std::string at = "variants[" + std::to_string(i) + "]";
        const Object::Ptr v = variants->getObject(static_cast<unsigned>(i));
        if (!v) {
          f.problem(at, "must be an object");
          continue;
        }
        Fields vf(v);
        services::VariantDetails variant;
        variant.variantId = vf.text("id", true, 100).value_or("");
        variant.sku = vf.text("sku", true, 100).value_or("");
        variant.name = v->optValue<std::string>("name", "");
        variant.weightGrams = static_cast<int>(vf.integer("weight_grams", false, 0, 1000000).value_or(0));
        variant.lengthMm = static_cast<int>(vf.integer("length_mm", false, 0, 100000).value_or(0));
        variant.widthMm = static_cast<int>(vf.integer("width_mm", false, 0, 100000).value_or(0));
        variant.heightMm = static_cast<int>(vf.integer("height_mm", false, 0, 100000).value_or(0));
        variant.active = v->optValue<bool>("active", true);
        const Object::Ptr prices = v->getObject("prices");
        if (!prices || prices->size() == 0) vf.problem("prices", "at least one price, e.g. {\"CLP\": 19990}");
        for (std::size_t k = 0; prices && k < prices->getNames().size(); ++k) {
          const std::string currency = prices->getNames()[k];
          if (!domain::isCurrencyCode(currency)) {
            vf.problem("prices." + currency, "not an ISO 4217 code");
            continue;
          }
          auto amount = domain::parseMajorUnits(prices->get(currency).convert<std::string>(), currency);
          if (!amount || *amount < 0) vf.problem("prices." + currency, amount ? "must not be negative" : amount.error().message);
          else variant.prices[currency] = *amount;
        }
        if (!vf.ok()) f.problem(at, "invalid: " + services::toJsonText(vf.failure().body));
        upsert.product.variants.push_back(variant);
      }
      if (!f.ok()) return f.failure();
      if (auto done = local->upsertProduct(actor->organizationId, upsert, services::systemNowMs()); !done) return failureResponse(done.error());
      Object::Ptr out = new Object;
      out->set("id", upsert.product.productId);
      out->set("variants", static_cast<int>(upsert.product.variants.size()));
      return successResponse(out);
    });
  });
  router.add("PUT", "/api/v1/admin/stock/{variant_id}/{warehouse_id}", [&auth, local = deps.localInventory](const Request& request) {
    return guarded([&] {
      auto actor = requireActor(auth, request, Permission::ManageCatalog);
      if (!actor) return failureResponse(actor.error());
      if (!local) return failureResponse(Error{ErrorCode::Unprocessable, "stock is kept by the Inventory service (INVENTORY_GRPC_HOST)"});
      Fields f(bodyOf(request));
      auto onHand = f.integer("on_hand", true, 0, 1'000'000'000);
      if (!f.ok()) return f.failure();
      if (auto done = local->setStock(actor->organizationId, request.params.at("variant_id"), request.params.at("warehouse_id"),
                                      *onHand, services::systemNowMs());
          !done) {
        return failureResponse(done.error());
      }
      Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      out->set("variant_id", request.params.at("variant_id"));
      out->set("warehouse_id", request.params.at("warehouse_id"));
      out->set("on_hand", *onHand);
      return successResponse(out);
    });
  });
  auto couponJson = [](const domain::Coupon& k) {
    Object::Ptr out = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("code", k.code);
    out->set("kind", std::string(domain::couponKindName(k.kind)));
    if (k.kind == domain::CouponKind::Percentage) out->set("percent", static_cast<double>(k.percentBasisPoints) / 100.0);
    if (k.kind == domain::CouponKind::FixedAmount) {
      out->set("amount", moneyValue(k.amountMinor, k.currency));
      out->set("currency", k.currency);
    }
    out->set("min_subtotal_minor", k.minSubtotalMinor);
    out->set("starts_at", k.startsAtMs ? Poco::Dynamic::Var(rfc3339(*k.startsAtMs)) : Poco::Dynamic::Var());
    out->set("ends_at", k.endsAtMs ? Poco::Dynamic::Var(rfc3339(*k.endsAtMs)) : Poco::Dynamic::Var());
    out->set("usage_limit", k.usageLimit ? Poco::Dynamic::Var(*k.usageLimit) : Poco::Dynamic::Var());
    out->set("per_customer_limit", k.perCustomerLimit ? Poco::Dynamic::Var(*k.perCustomerLimit) : Poco::Dynamic::Var());
    out->set("times_used", k.timesUsed);
    out->set("active", k.active);
    return out;
  };
  router.add("GET", "/api/v1/admin/coupons", [&auth, &database, couponJson](const Request& request) {
    auto actor = requireActor(auth, request, Permission::ManageCatalog);
    if (!actor) return failureResponse(actor.error());
    auto connection = database.acquire();
    if (!connection) return failureResponse(connection.error());
    Array::Ptr list = new Array;
    for (const auto& k : storage::coupon_store::list(*connection, actor->organizationId)) list->add(couponJson(k));
    Object::Ptr out = new Object;
    out->set("coupons", list);
    return successResponse(out);
  });
  router.add("PUT", "/api/v1/admin/coupons/{code}", [&auth, &database, couponJson](const Request& request) {
    return guarded([&] {
      auto actor = requireActor(auth, request, Permission::ManageCatalog);
      if (!actor) return failureResponse(actor.error());
      Object::Ptr body = bodyOf(request);
      Fields f(body);
      domain::Coupon coupon;
      coupon.code = request.params.at("code");
      const auto kind = domain::parseCouponKind(f.text("kind", true, 20).value_or(""));
      if (!kind) f.problem("kind", "percentage, fixed_amount or free_shipping");
      else coupon.kind = *kind;
      coupon.currency = f.text("currency", coupon.kind == domain::CouponKind::FixedAmount, 3).value_or("");
      if (coupon.kind == domain::CouponKind::Percentage) {
        auto percent = f.amount("percent", true, "XXX");  // two decimals: basis points
        coupon.percentBasisPoints = percent.value_or(0);
      }
      if (coupon.kind == domain::CouponKind::FixedAmount && !coupon.currency.empty()) {
        coupon.amountMinor = f.amount("amount", true, coupon.currency).value_or(0);
      }
      coupon.minSubtotalMinor = f.integer("min_subtotal_minor", false, 0, INT64_MAX / 2).value_or(0);
      coupon.startsAtMs = f.integer("starts_at_ms", false, 0, INT64_MAX / 2);
      coupon.endsAtMs = f.integer("ends_at_ms", false, 0, INT64_MAX / 2);
      coupon.usageLimit = f.integer("usage_limit", false, 1, INT64_MAX / 2);
      coupon.perCustomerLimit = f.integer("per_customer_limit", false, 1, INT64_MAX / 2);
      coupon.active = body->optValue<bool>("active", true);
      if (!f.ok()) return f.failure();
      if (auto valid = domain::normalizeCoupon(coupon); !valid) return failureResponse(valid.error());
      auto connection = database.acquire();
      if (!connection) return failureResponse(connection.error());
      storage::coupon_store::upsert(*connection, actor->organizationId, coupon, services::systemNowMs());
      return successResponse(couponJson(*storage::coupon_store::find(*connection, actor->organizationId, coupon.code)));
    });
  });
  router.add("DELETE", "/api/v1/admin/coupons/{code}", [&auth, &database](const Request& request) {
    auto actor = requireActor(auth, request, Permission::ManageCatalog);
    if (!actor) return failureResponse(actor.error());
    auto connection = database.acquire();
    if (!connection) return failureResponse(connection.error());
    if (!storage::coupon_store::remove(*connection, actor->organizationId, request.params.at("code"))) {
      return failureResponse(Error::notFound("coupon " + request.params.at("code") + " not found"));
    }
    return successResponse(Poco::Dynamic::Var(Object::Ptr(new Object)));
  });
}

}  // namespace ordersvc::api
