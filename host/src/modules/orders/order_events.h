#pragma once

#include <string>

#include "domain/order.h"
#include "platform/storage/database.h"

namespace ordersvc::services {

// Writes an order's status change into the caller's transaction: the order row (only
// if its version is unchanged: optimistic concurrency), a timeline entry with the actor,
// and the event through the outbox. Errors: Conflict (naming the current state and the
// allowed actions) when the action is not allowed, or when someone else changed the
// order meanwhile.
Status applyOrderAction(storage::Connection& connection, domain::Order& order, domain::OrderAction action,
                        const std::string& actor, const std::string& note, int64_t nowMs);

// The JSON of an order event: ids, number, status, money in minor units.
std::string orderEventData(const domain::Order& order, const std::string& extraKey = "",
                           const std::string& extraValue = "");

// "order.confirmed" for PaymentSucceeded / ConfirmOnTerms, "order.cancelled", ...;
// the event a status change publishes.
std::string eventTypeFor(domain::OrderAction action);

// The 409 for an action not allowed now: current state and allowed actions in details.
Error transitionRefused(const domain::Order& order, domain::OrderAction action);

}  // namespace ordersvc::services
