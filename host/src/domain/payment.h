#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ordersvc::domain {

// The life of one payment (one tender of an order), owned by the host whatever the
// gateway: the plugin reports outcomes, this decides what they mean.
//
//   review ──approve──▶ pending ──▶ requires_action ──▶ authorized ──▶ captured ──▶ partially_refunded ──▶ refunded
//      │                   │  ╲            │                 │             ▲
//      └──reject──▶ failed ◀┘   ╲──────────┴──▶ unknown ─────┴─(sync)──────┘        cancelled ◀── void / cancel
//
// `unknown` means a gateway call may or may not have happened (time-out, 5xx): it is
// never retried blindly; reconciliation asks the gateway (payment.sync) until it knows.
enum class PaymentStatus {
  Pending,            // recorded; the gateway has not answered yet (or is processing)
  Review,             // held by fraud rules until an operator approves or rejects it
  RequiresAction,     // the customer must act (approve at PayPal, 3-D Secure, enter card in the browser)
  Authorized,         // funds reserved, not captured
  Captured,           // money taken
  PartiallyRefunded,  // some of the captured money returned
  Refunded,           // all of the captured money returned
  Failed,             // declined, rejected, or never submitted
  Cancelled,          // authorization voided or session cancelled
  Unknown,            // the outcome of a gateway call is not known yet
};

std::string_view paymentStatusName(PaymentStatus status);
std::optional<PaymentStatus> parsePaymentStatus(std::string_view name);

// Nothing more can happen to it.
bool isFinal(PaymentStatus status);
// Counts toward what the order has secured (authorized or captured money).
bool securesFunds(PaymentStatus status);
// Still in flight: its amount is spoken for, so another payment cannot also take it.
bool isOpen(PaymentStatus status);
// Whether `from` may become `to` (the same state is always allowed: outcomes repeat).
bool canMove(PaymentStatus from, PaymentStatus to);

enum class CaptureMode { Automatic, Manual };
std::string_view captureModeName(CaptureMode mode);
std::optional<CaptureMode> parseCaptureMode(std::string_view name);

// The gateway operation whose result is being applied.
enum class GatewayOperation { CreateSession, Sale, Authorize, Capture, Void, Sync };

// What a plugin's result status ("succeeded", "pending", "action_required", "declined",
// "not_submitted", "unknown") means for a payment after `operation`. For Sync, a
// "succeeded" is "authorized" while a manual-capture payment has captured nothing.
// nullopt: nothing changes (a refused capture or void leaves the authorization as it
// was), or a status the ABI does not define.
// What a payment plugin said of one call (the "status" of its result in plugin-api), or
// what the host concluded when the call itself failed: NotSubmitted (safe to retry) or
// Unknown (may have happened). Unrecognised: a status the ABI does not define.
enum class GatewayResult { Succeeded, Pending, ActionRequired, Declined, NotSubmitted, Unknown, Unrecognised };
GatewayResult parseGatewayResult(std::string_view status);

std::optional<PaymentStatus> statusAfter(GatewayOperation operation, GatewayResult result, CaptureMode mode,
                                         int64_t capturedMinor);

struct Payment {
  std::string id;  // "pay_…"
  std::string orderId;
  std::string instanceId;
  std::string paymentMethod;
  int64_t amountMinor = 0;  // requested (and authorized) amount
  std::string currency;
  PaymentStatus status = PaymentStatus::Pending;
  CaptureMode captureMode = CaptureMode::Automatic;
  int64_t capturedMinor = 0;
  int64_t refundedMinor = 0;
  std::optional<std::string> providerReference;
  std::optional<std::string> providerDataJson;  // plaintext in memory; sealed at rest
  std::optional<std::string> failureReason;
  std::optional<std::string> fraudOutcome;  // allow, review, deny
  std::optional<std::string> fraudReasons;  // JSON array of {code, message}
  std::optional<int64_t> leaseUntilMs;      // a process is talking to the gateway about it
  std::optional<int64_t> nextSyncAtMs;      // reconciliation asks the gateway at this time
  int syncAttempts = 0;
  int64_t version = 1;
  int64_t createdAtMs = 0;
  int64_t updatedAtMs = 0;

  // Captured money not yet refunded.
  int64_t refundableMinor() const { return capturedMinor - refundedMinor; }
};

enum class RefundStatus { Pending, Succeeded, Failed, Unknown };
std::string_view refundStatusName(RefundStatus status);
std::optional<RefundStatus> parseRefundStatus(std::string_view name);

struct Refund {
  std::string id;  // "ref_…"
  std::string orderId;
  std::string paymentId;
  int64_t amountMinor = 0;
  std::string currency;
  RefundStatus status = RefundStatus::Pending;
  std::string reason;
  std::optional<std::string> itemsJson;  // [{line_no, quantity}] when refunded by items
  std::optional<std::string> providerReference;
  std::optional<std::string> providerDataJson;
  std::optional<std::string> failureReason;
  std::optional<int64_t> nextSyncAtMs;
  int syncAttempts = 0;
  int64_t createdAtMs = 0;
  int64_t updatedAtMs = 0;
};

}  // namespace ordersvc::domain
