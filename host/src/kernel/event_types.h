#pragma once

#include <string_view>
#include <vector>

namespace ordersvc::events {

// The catalogue of the events the service publishes (outbox -> RabbitMQ, routing key =
// type). The names are the contract consumers were written against (the service
// description): never rename one; add new ones here, and to allEventTypes().

// Orders: one per state change (OrderStateMachine).
inline constexpr const char* kOrderCreated = "order.created";
inline constexpr const char* kOrderPaymentPending = "order.payment_pending";
inline constexpr const char* kOrderConfirmed = "order.confirmed";
inline constexpr const char* kOrderPaymentFailed = "order.payment_failed";
inline constexpr const char* kOrderProcessing = "order.processing";
inline constexpr const char* kOrderReadyToShip = "order.ready_to_ship";
inline constexpr const char* kOrderShipped = "order.shipped";
inline constexpr const char* kOrderDelivered = "order.delivered";
inline constexpr const char* kOrderCancelled = "order.cancelled";
inline constexpr const char* kOrderReturnRequested = "order.return_requested";
inline constexpr const char* kOrderReturnRejected = "order.return_rejected";
inline constexpr const char* kOrderReturned = "order.returned";
inline constexpr const char* kOrderRefunded = "order.refunded";
inline constexpr const char* kOrderUpdated = "order.updated";

// Payments.
inline constexpr const char* kPaymentPending = "payment.pending";
inline constexpr const char* kPaymentReview = "payment.review";
inline constexpr const char* kPaymentAuthorized = "payment.authorized";
inline constexpr const char* kPaymentSucceeded = "payment.succeeded";
inline constexpr const char* kPaymentCaptured = "payment.captured";
inline constexpr const char* kPaymentFailed = "payment.failed";
inline constexpr const char* kPaymentCancelled = "payment.cancelled";
inline constexpr const char* kPaymentRefunded = "payment.refunded";
inline constexpr const char* kPaymentDisputed = "payment.disputed";

// Carts.
inline constexpr const char* kCartAbandoned = "cart.abandoned";
inline constexpr const char* kCartRecovered = "cart.recovered";

// Every type above, in the order listed.
inline const std::vector<std::string_view>& allEventTypes() {
  static const std::vector<std::string_view> all = {
      kOrderCreated,        kOrderPaymentPending, kOrderConfirmed,   kOrderPaymentFailed, kOrderProcessing,
      kOrderReadyToShip,    kOrderShipped,        kOrderDelivered,   kOrderCancelled,     kOrderReturnRequested,
      kOrderReturnRejected, kOrderReturned,       kOrderRefunded,    kOrderUpdated,       kPaymentPending,
      kPaymentReview,       kPaymentAuthorized,   kPaymentSucceeded, kPaymentCaptured,    kPaymentFailed,
      kPaymentCancelled,    kPaymentRefunded,     kPaymentDisputed,  kCartAbandoned,      kCartRecovered};
  return all;
}

}  // namespace ordersvc::events
