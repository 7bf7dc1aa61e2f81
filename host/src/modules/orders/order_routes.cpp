#include "modules/orders/order_routes.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "domain/order.h"
#include "domain/order_status.h"
#include "kernel/json_util.h"
#include "modules/orders/order_json.h"
#include "platform/http/cached_rendering.h"
#include "platform/http/json_values.h"
#include "platform/http/request_fields.h"
#include "platform/integrations/cache_keys.h"
#include "platform/storage/event_feed.h"

namespace ordersvc::api {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using services::Actor;
using services::OrderService;

Response orderResponse(const Result<domain::Order>& order, int status = 200) {
  if (!order) return failureResponse(order.error());
  return successResponse(orderJson(*order), status);
}

// The filters and page of GET /api/v1/orders; only staff may pick another customer's.
Result<storage::OrderQuery> readOrderQuery(const Actor& actor, std::map<std::string, std::string> q) {
  storage::OrderQuery query;
  try {
    if (q.count("status")) {
      if (!domain::parseOrderStatus(q["status"])) return Error::invalidArgument("status: not an order status");
      query.status = q["status"];
    }
    if (q.count("type")) {
      if (!domain::parseOrderType(q["type"])) return Error::invalidArgument("type: not an order type");
      query.type = q["type"];
    }
    if (q.count("customer_id") && actor.staff) query.customerId = q["customer_id"];
    if (q.count("created_from")) query.createdFromMs = std::stoll(q["created_from"]);
    if (q.count("created_to")) query.createdToMs = std::stoll(q["created_to"]);
    if (q.count("sort")) {
      if (q["sort"] != "created_at" && q["sort"] != "-created_at") {
        return Error::invalidArgument("sort: created_at or -created_at");
      }
      query.newestFirst = q["sort"] == "-created_at";
    }
    if (q.count("limit")) query.limit = std::clamp(std::stoi(q["limit"]), 1, 100);
    if (q.count("cursor")) {
      const std::string cursor = q["cursor"];
      const auto dot = cursor.find('.');
      if (dot == std::string::npos) return Error::invalidArgument("cursor: use next_cursor from the last page");
      query.after = std::make_pair(std::stoll(cursor.substr(0, dot)), cursor.substr(dot + 1));
    }
  } catch (const std::exception&) {
    return Error::invalidArgument("created_from / created_to / limit: integers (epoch ms for dates)");
  }
  return query;
}

Response listOrders(OrderService& orders, const Actor& actor, const Request& request) {
  auto query = readOrderQuery(actor, queryOf(request));
  if (!query) return failureResponse(query.error());
  auto found = orders.list(actor, *query);
  if (!found) return failureResponse(found.error());
  Array::Ptr list = new Array;
  for (const auto& order : *found) list->add(orderSummaryJson(order));
  Object::Ptr out = orderedObject();
  out->set("orders", list);
  // A full page may have a successor; the cursor is (created_at, id) of its last order.
  out->set("next_cursor", found->size() == static_cast<std::size_t>(query->limit)
                              ? Poco::Dynamic::Var(std::to_string(found->back().createdAtMs) + "." + found->back().id)
                              : Poco::Dynamic::Var());
  return successResponse(out);
}

// A cached rendering answers only staff or the order's customer (the owner is kept with
// it, so no database read); anyone else gets the 404 of an order they may not see.
Response getOrder(OrderService& orders, integrations::Cache& cache, std::chrono::seconds ttl, const Actor& actor,
                  const Request& request) {
  const std::string& orderId = request.params.at("order_id");
  const std::string key = services::orderCacheKey(actor.organizationId, orderId);
  if (auto hit = unpackCachedRendering(cache.get(key))) {
    if (actor.staff || (hit->customerId && *hit->customerId == actor.subject)) {
      return renderedSuccess(hit->dataJson, true);
    }
    return failureResponse(Error::notFound("order " + orderId + " not found"));
  }
  auto order = orders.get(actor, orderId);
  if (!order) return failureResponse(order.error());
  const std::string data = services::toJsonText(orderJson(*order));
  cache.put(key, packCachedRendering({order->customerId, std::nullopt, data}), ttl);
  return renderedSuccess(data, false);
}

Response cancelOrder(OrderService& orders, const Actor& actor, const Request& request) {
  Fields f(bodyOf(request));
  auto reason = f.text("reason", false, 500);
  if (!f.ok()) return f.failure();
  return orderResponse(orders.cancel(actor, request.params.at("order_id"), reason.value_or("")));
}

// Payment and checkout actions happen through their own endpoints, cancelling through
// its own too; the others are offered here.
bool offeredHere(domain::OrderAction action) {
  using A = domain::OrderAction;
  return action != A::Place && action != A::StartPayment && action != A::PaymentSucceeded &&
         action != A::PaymentFailed && action != A::Cancel;
}

// Fulfilment and return handling is staff work, confirming on payment terms a
// manager's; any signed-in caller may ask to return (their own order: the service checks).
bool mayTake(const Actor& actor, domain::OrderAction action) {
  if (action == domain::OrderAction::RequestReturn) return true;
  if (action == domain::OrderAction::ConfirmOnTerms) return actor.manager;
  return actor.staff;
}

Response actOnOrder(OrderService& orders, const Actor& actor, const Request& request) {
  const auto action = domain::parseOrderAction(request.params.at("action"));
  if (!action || !offeredHere(*action)) {
    return failureResponse(
        Error::notFound("no action " + request.params.at("action") + " (use cancel or payments for those)"));
  }
  if (!mayTake(actor, *action)) {
    return failureResponse(Error::permissionDenied("this needs a role your token does not have"));
  }
  Fields f(bodyOf(request));
  auto note = f.text("note", false, 500);
  if (!f.ok()) return f.failure();
  return orderResponse(orders.act(actor, request.params.at("order_id"), *action, note.value_or("")));
}

Object::Ptr eventJson(const storage::OutboxEvent& e) {
  Object::Ptr event = orderedObject();
  event->set("id", e.id);
  event->set("type", e.type);
  event->set("organization_id", e.organizationId);
  event->set("occurred_at", rfc3339(e.occurredAtMs));
  event->set("data", Poco::JSON::Parser().parse(e.dataJson));
  event->set("published", e.sentAtMs.has_value());
  return event;
}

// The outbox, for deployments without a broker. The cursor is the last event's sequence.
Response listEvents(storage::EventFeed& feed, const Actor& actor, const Request& request) {
  auto q = queryOf(request);
  int64_t after = 0;
  int limit = 100;
  try {
    if (q.count("cursor")) after = std::stoll(q["cursor"]);
    if (q.count("limit")) limit = std::clamp(std::stoi(q["limit"]), 1, 500);
  } catch (...) {
    return failureResponse(Error::invalidArgument("cursor and limit are integers"));
  }
  std::optional<std::string> type;
  if (q.count("type")) type = q["type"];
  auto events = feed.after(actor.organizationId, after, limit, type);
  if (!events) return failureResponse(events.error());
  Array::Ptr list = new Array;
  int64_t last = after;
  for (const auto& e : *events) {
    list->add(eventJson(e));
    last = e.seq;
  }
  Object::Ptr out = orderedObject();
  out->set("events", list);
  out->set("next_cursor", std::to_string(last));
  return successResponse(out);
}

}  // namespace

std::vector<RouteRow> orderRoutes(OrderRouteDependencies deps) {
  return {
      {"GET",
       "/api/v1/orders",
       Audience::SignedIn,
       {},
       kRateLimited,
       [&orders = deps.orders](const Actor& actor, const Request& request) {
         return listOrders(orders, actor, request);
       }},
      {"GET",
       "/api/v1/orders/{order_id}",
       Audience::SignedIn,
       {},
       kRateLimited,
       [&orders = deps.orders, &cache = deps.cache, ttl = deps.orderTtl](const Actor& actor, const Request& request) {
         return getOrder(orders, cache, ttl, actor, request);
       }},
      {"POST",
       "/api/v1/orders/{order_id}/cancel",
       Audience::SignedIn,
       {},
       kRateLimited | kIdempotent,
       [&orders = deps.orders](const Actor& actor, const Request& request) {
         return cancelOrder(orders, actor, request);
       }},
      // SignedIn, not Permitted: the role needed depends on the action (actOnOrder checks it).
      {"POST",
       "/api/v1/orders/{order_id}/actions/{action}",
       Audience::SignedIn,
       {},
       kRateLimited | kIdempotent,
       [&orders = deps.orders](const Actor& actor, const Request& request) {
         return actOnOrder(orders, actor, request);
       }},
      {"GET", "/api/v1/events", Audience::Permitted, Permission::ReadEvents, kRateLimited,
       [&events = deps.events](const Actor& actor, const Request& request) {
         return listEvents(events, actor, request);
       }},
  };
}

}  // namespace ordersvc::api
