#include "domain/order_status.h"

#include <array>
#include <utility>

namespace ordersvc::domain {

namespace {

using S = OrderStatus;
using A = OrderAction;

constexpr std::array<std::pair<S, std::string_view>, 13> kStatusNames = {{
    {S::Cart, "cart"},
    {S::Pending, "pending"},
    {S::PaymentPending, "payment_pending"},
    {S::PaymentFailed, "payment_failed"},
    {S::Confirmed, "confirmed"},
    {S::Processing, "processing"},
    {S::ReadyToShip, "ready_to_ship"},
    {S::Shipped, "shipped"},
    {S::Delivered, "delivered"},
    {S::Cancelled, "cancelled"},
    {S::ReturnRequested, "return_requested"},
    {S::Returned, "returned"},
    {S::Refunded, "refunded"},
}};

constexpr std::array<std::pair<A, std::string_view>, 14> kActionNames = {{
    {A::Place, "place"},
    {A::StartPayment, "start_payment"},
    {A::PaymentSucceeded, "payment_succeeded"},
    {A::PaymentFailed, "payment_failed"},
    {A::ConfirmOnTerms, "confirm_on_terms"},
    {A::StartProcessing, "start_processing"},
    {A::MarkReadyToShip, "mark_ready_to_ship"},
    {A::Ship, "ship"},
    {A::Deliver, "deliver"},
    {A::Cancel, "cancel"},
    {A::RequestReturn, "request_return"},
    {A::RejectReturn, "reject_return"},
    {A::ReceiveReturn, "receive_return"},
    {A::Refund, "refund"},
}};

struct Transition {
  S from;
  A action;
  S to;
};

// The whole state machine. Anything not listed is refused.
constexpr std::array<Transition, 19> kTransitions = {{
    {S::Cart, A::Place, S::Pending},
    {S::Pending, A::StartPayment, S::PaymentPending},
    {S::PaymentFailed, A::StartPayment, S::PaymentPending},
    {S::PaymentPending, A::PaymentSucceeded, S::Confirmed},
    {S::PaymentPending, A::PaymentFailed, S::PaymentFailed},
    {S::Pending, A::ConfirmOnTerms, S::Confirmed},
    {S::Confirmed, A::StartProcessing, S::Processing},
    {S::Processing, A::MarkReadyToShip, S::ReadyToShip},
    {S::ReadyToShip, A::Ship, S::Shipped},
    {S::Shipped, A::Deliver, S::Delivered},
    {S::Pending, A::Cancel, S::Cancelled},
    {S::PaymentFailed, A::Cancel, S::Cancelled},
    // Split tender leaves an order payment_pending until the rest is paid. Cancelling
    // refunds what was captured and voids what is open; a payment that succeeds after
    // the cancellation is refunded when its outcome arrives.
    {S::PaymentPending, A::Cancel, S::Cancelled},
    {S::Confirmed, A::Cancel, S::Cancelled},
    {S::Processing, A::Cancel, S::Cancelled},  // manager approval: checked by the caller
    {S::Delivered, A::RequestReturn, S::ReturnRequested},
    {S::ReturnRequested, A::RejectReturn, S::Delivered},
    {S::ReturnRequested, A::ReceiveReturn, S::Returned},
    {S::Returned, A::Refund, S::Refunded},
}};

}  // namespace

std::string_view orderStatusName(OrderStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<OrderStatus> parseOrderStatus(std::string_view name) {
  for (const auto& [value, text] : kStatusNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::string_view orderActionName(OrderAction action) {
  for (const auto& [value, name] : kActionNames) {
    if (value == action) return name;
  }
  return "unknown";
}

std::optional<OrderAction> parseOrderAction(std::string_view name) {
  for (const auto& [value, text] : kActionNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::optional<OrderStatus> nextStatus(OrderStatus from, OrderAction action) {
  for (const auto& t : kTransitions) {
    if (t.from == from && t.action == action) return t.to;
  }
  return std::nullopt;
}

std::vector<OrderAction> allowedActions(OrderStatus status) {
  std::vector<OrderAction> out;
  for (const auto& [action, name] : kActionNames) {
    if (nextStatus(status, action)) out.push_back(action);
  }
  return out;
}

bool isFinal(OrderStatus status) {
  return allowedActions(status).empty();
}

}  // namespace ordersvc::domain
