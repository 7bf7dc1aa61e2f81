#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ordersvc::domain {

// The thirteen states of an order, from the service description. `cart` is where every
// order starts (the cart it was checked out from); the others are stored on the order.
enum class OrderStatus {
  Cart,
  Pending,         // placed, stock reserved, waiting for payment
  PaymentPending,  // a payment attempt is in flight
  PaymentFailed,   // the last attempt failed; retry allowed until the timeout
  Confirmed,       // paid (or accepted on terms); reservation confirmed
  Processing,      // being picked and packed
  ReadyToShip,
  Shipped,
  Delivered,
  Cancelled,  // final
  ReturnRequested,
  Returned,
  Refunded,  // final
};

// What can happen to an order. Every status change is one of these, so the API can say
// which actions are allowed now and the timeline records what happened, not only where
// it ended.
enum class OrderAction {
  Place,             // cart -> pending (checkout)
  StartPayment,      // pending | payment_failed -> payment_pending
  PaymentSucceeded,  // payment_pending -> confirmed
  PaymentFailed,     // payment_pending -> payment_failed
  ConfirmOnTerms,    // pending -> confirmed (b2b net terms: no payment up front)
  StartProcessing,   // confirmed -> processing
  MarkReadyToShip,   // processing -> ready_to_ship
  Ship,              // ready_to_ship -> shipped
  Deliver,           // shipped -> delivered
  Cancel,            // pending | payment_failed | confirmed | processing -> cancelled
  RequestReturn,     // delivered -> return_requested
  RejectReturn,      // return_requested -> delivered
  ReceiveReturn,     // return_requested -> returned
  Refund,            // returned -> refunded
};

std::string_view orderStatusName(OrderStatus status);
std::optional<OrderStatus> parseOrderStatus(std::string_view name);
std::string_view orderActionName(OrderAction action);
std::optional<OrderAction> parseOrderAction(std::string_view name);

// The one place transitions are decided: the state `action` leads to from `from`, or
// nothing when the action is not allowed there.
std::optional<OrderStatus> nextStatus(OrderStatus from, OrderAction action);

// Actions allowed from `status`, in declaration order (for 409 answers and the API).
std::vector<OrderAction> allowedActions(OrderStatus status);

// Cancelled and refunded: nothing leaves them.
bool isFinal(OrderStatus status);

}  // namespace ordersvc::domain
