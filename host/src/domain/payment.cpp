#include "domain/payment.h"

#include <array>
#include <utility>

namespace ordersvc::domain {

namespace {

constexpr std::array<std::pair<PaymentStatus, std::string_view>, 10> kPaymentStatusNames{{
    {PaymentStatus::Pending, "pending"},
    {PaymentStatus::Review, "review"},
    {PaymentStatus::RequiresAction, "requires_action"},
    {PaymentStatus::Authorized, "authorized"},
    {PaymentStatus::Captured, "captured"},
    {PaymentStatus::PartiallyRefunded, "partially_refunded"},
    {PaymentStatus::Refunded, "refunded"},
    {PaymentStatus::Failed, "failed"},
    {PaymentStatus::Cancelled, "cancelled"},
    {PaymentStatus::Unknown, "unknown"},
}};

constexpr std::array<std::pair<RefundStatus, std::string_view>, 4> kRefundStatusNames{{
    {RefundStatus::Pending, "pending"},
    {RefundStatus::Succeeded, "succeeded"},
    {RefundStatus::Failed, "failed"},
    {RefundStatus::Unknown, "unknown"},
}};

}  // namespace

std::string_view paymentStatusName(PaymentStatus status) {
  for (const auto& [value, name] : kPaymentStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<PaymentStatus> parsePaymentStatus(std::string_view name) {
  for (const auto& [value, text] : kPaymentStatusNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

bool isFinal(PaymentStatus status) {
  return status == PaymentStatus::Refunded || status == PaymentStatus::Failed || status == PaymentStatus::Cancelled;
}

bool securesFunds(PaymentStatus status) {
  return status == PaymentStatus::Authorized || status == PaymentStatus::Captured ||
         status == PaymentStatus::PartiallyRefunded || status == PaymentStatus::Refunded;
}

bool isOpen(PaymentStatus status) {
  return status == PaymentStatus::Pending || status == PaymentStatus::Review ||
         status == PaymentStatus::RequiresAction || status == PaymentStatus::Unknown;
}

bool canMove(PaymentStatus from, PaymentStatus to) {
  using S = PaymentStatus;
  if (from == to) return true;
  switch (from) {
    case S::Review:
      return to == S::Pending || to == S::Failed || to == S::Cancelled;
    case S::Pending:
    case S::RequiresAction:
    case S::Unknown:
      // Whatever the gateway says next, short of money coming back.
      return to == S::Pending || to == S::RequiresAction || to == S::Authorized || to == S::Captured ||
             to == S::Failed || to == S::Cancelled || to == S::Unknown;
    case S::Authorized:
      return to == S::Captured || to == S::Cancelled;
    case S::Captured:
    case S::PartiallyRefunded:
      return to == S::PartiallyRefunded || to == S::Refunded;
    case S::Refunded:
    case S::Failed:
    case S::Cancelled:
      return false;
  }
  return false;
}

std::string_view captureModeName(CaptureMode mode) {
  return mode == CaptureMode::Manual ? "manual" : "automatic";
}

std::optional<CaptureMode> parseCaptureMode(std::string_view name) {
  if (name == "automatic") return CaptureMode::Automatic;
  if (name == "manual") return CaptureMode::Manual;
  return std::nullopt;
}

GatewayResult parseGatewayResult(std::string_view status) {
  using R = GatewayResult;
  static constexpr std::pair<std::string_view, R> kNames[] = {{"succeeded", R::Succeeded},
                                                              {"pending", R::Pending},
                                                              {"action_required", R::ActionRequired},
                                                              {"declined", R::Declined},
                                                              {"not_submitted", R::NotSubmitted},
                                                              {"unknown", R::Unknown}};
  for (const auto& [name, value] : kNames) {
    if (name == status) return value;
  }
  return R::Unrecognised;
}

std::optional<PaymentStatus> statusAfter(GatewayOperation operation, GatewayResult result, CaptureMode mode,
                                         int64_t capturedMinor) {
  using S = PaymentStatus;
  using R = GatewayResult;
  switch (result) {
    case R::Succeeded:
      switch (operation) {
        case GatewayOperation::CreateSession:
          return S::RequiresAction;  // a session that needs nothing more still needs the completion call
        case GatewayOperation::Sale:
        case GatewayOperation::Capture:
          return S::Captured;
        case GatewayOperation::Authorize:
          return S::Authorized;
        case GatewayOperation::Void:
          return S::Cancelled;
        case GatewayOperation::Sync:
          return mode == CaptureMode::Manual && capturedMinor == 0 ? S::Authorized : S::Captured;
      }
      return std::nullopt;
    case R::Pending:
      return S::Pending;
    case R::ActionRequired:
      return S::RequiresAction;
    case R::Declined:
    case R::NotSubmitted:
      // A refused capture or void leaves the authorization as it was.
      if (operation == GatewayOperation::Capture || operation == GatewayOperation::Void) return std::nullopt;
      return S::Failed;
    case R::Unknown:
      return S::Unknown;
    case R::Unrecognised:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string_view refundStatusName(RefundStatus status) {
  for (const auto& [value, name] : kRefundStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<RefundStatus> parseRefundStatus(std::string_view name) {
  for (const auto& [value, text] : kRefundStatusNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

}  // namespace ordersvc::domain
