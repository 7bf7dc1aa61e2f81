#include "modules/orders/order_events.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "kernel/event_types.h"
#include "kernel/json_util.h"
#include "modules/orders/order_store.h"
#include "platform/storage/outbox_store.h"

namespace ordersvc::services {

std::string eventTypeFor(domain::OrderAction action) {
  using A = domain::OrderAction;
  switch (action) {
    case A::Place:
      return events::kOrderCreated;
    case A::StartPayment:
      return events::kOrderPaymentPending;
    case A::PaymentSucceeded:
    case A::ConfirmOnTerms:
      return events::kOrderConfirmed;
    case A::PaymentFailed:
      return events::kOrderPaymentFailed;
    case A::StartProcessing:
      return events::kOrderProcessing;
    case A::MarkReadyToShip:
      return events::kOrderReadyToShip;
    case A::Ship:
      return events::kOrderShipped;
    case A::Deliver:
      return events::kOrderDelivered;
    case A::Cancel:
      return events::kOrderCancelled;
    case A::RequestReturn:
      return events::kOrderReturnRequested;
    case A::RejectReturn:
      return events::kOrderReturnRejected;
    case A::ReceiveReturn:
      return events::kOrderReturned;
    case A::Refund:
      return events::kOrderRefunded;
  }
  return events::kOrderUpdated;
}

std::string orderEventData(const domain::Order& order, const std::string& extraKey, const std::string& extraValue) {
  Poco::JSON::Object::Ptr data = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  data->set("order_id", order.id);
  data->set("order_number", order.orderNumber);
  data->set("status", std::string(domain::orderStatusName(order.status)));
  data->set("order_type", std::string(domain::orderTypeName(order.type)));
  if (order.customerId) data->set("customer_id", *order.customerId);
  data->set("currency", order.currency);
  data->set("total_minor", order.totalMinor);
  data->set("paid_minor", order.paidMinor);
  data->set("items_count", order.itemsCount);
  if (!extraKey.empty()) data->set(extraKey, extraValue);
  return toJsonText(data);
}

Error transitionRefused(const domain::Order& order, domain::OrderAction action) {
  Poco::JSON::Object::Ptr details = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  details->set("current_status", std::string(domain::orderStatusName(order.status)));
  Poco::JSON::Array::Ptr allowed = new Poco::JSON::Array;
  for (auto a : domain::allowedActions(order.status)) allowed->add(std::string(domain::orderActionName(a)));
  details->set("allowed_actions", allowed);
  Error error =
      Error::conflict("order " + order.orderNumber + " is " + std::string(domain::orderStatusName(order.status)) +
                      "; " + std::string(domain::orderActionName(action)) + " is not allowed");
  error.detailsJson = toJsonText(details);
  return error;
}

Status applyOrderAction(storage::Connection& c, domain::Order& order, domain::OrderAction action,
                        const std::string& actor, const std::string& note, int64_t nowMs) {
  const auto next = domain::nextStatus(order.status, action);
  if (!next) return transitionRefused(order, action);
  const std::string from(domain::orderStatusName(order.status));
  order.status = *next;
  order.updatedAtMs = nowMs;
  if (!storage::order_store::update(c, order)) {
    return Error::conflict("order " + order.orderNumber + " was changed by someone else; read it again");
  }
  order.version += 1;
  domain::TimelineEntry entry;
  entry.atMs = nowMs;
  entry.actor = actor;
  entry.action = std::string(domain::orderActionName(action));
  entry.fromStatus = from;
  entry.toStatus = std::string(domain::orderStatusName(order.status));
  if (!note.empty()) entry.note = note;
  storage::order_store::appendTimeline(c, order.organizationId, order.id, entry);
  storage::outbox_store::append(c, order.organizationId, eventTypeFor(action),
                                orderEventData(order, "previous_status", from), nowMs);
  return Status::ok();
}

}  // namespace ordersvc::services
