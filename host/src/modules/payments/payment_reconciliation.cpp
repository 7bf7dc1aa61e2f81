// Reconciliation: asks the gateway about payments and refunds whose outcome is not known.
#include "modules/payments/payment_service.h"
#include "modules/payments/payment_service_internal.h"

#include <algorithm>
#include <map>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "domain/money.h"
#include "kernel/ids.h"
#include "kernel/json_util.h"
#include "modules/orders/order_events.h"
#include "modules/orders/order_store.h"
#include "modules/payments/payment_store.h"
#include "platform/integrations/cache_keys.h"
#include "platform/logging/log.h"
#include "platform/plugins/base64_text.h"
#include "platform/storage/outbox_store.h"
#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::services {

using domain::GatewayOperation;
using domain::PaymentStatus;
using Poco::JSON::Object;
using namespace payment_detail;

Result<int> PaymentService::reconcile(int batch) {
  std::vector<std::pair<std::string, std::string>> payments;
  std::vector<std::pair<std::string, std::string>> refunds;
  storage::HeldConnection held(database_);
  if (auto taken = held.acquire(); !taken) return taken.error();
  auto& c = *held;
  try {
    claimDueSyncs(c, batch, payments, refunds);
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, c, "");
  }
  int resolved = 0;
  auto paymentsDone = syncDuePayments(held, payments, resolved);
  if (!paymentsDone) return paymentsDone.error();
  if (!*paymentsDone) return resolved;
  auto refundsDone = syncDueRefunds(held, refunds, resolved);
  if (!refundsDone) return refundsDone.error();
  return resolved;
}

void PaymentService::claimDueSyncs(storage::Connection& c, int batch,
                                   std::vector<std::pair<std::string, std::string>>& payments,
                                   std::vector<std::pair<std::string, std::string>>& refunds) {
  storage::Transaction tx(c);
  const int64_t now = clock_();
  // Claimed: pushed past the lease so other processes skip them while this one asks.
  payments = storage::payment_store::claimDueSyncs(c, now, batch);
  for (const auto& [org, id] : payments) {
    auto payment = storage::payment_store::find(c, org, id, false);
    if (!payment) continue;
    payment->syncAttempts += 1;
    payment->nextSyncAtMs = now + kLeaseMs;
    payment->updatedAtMs = now;
    storage::payment_store::update(c, org, *payment);
  }
  refunds = storage::payment_store::claimDueRefundSyncs(c, now, batch);
  for (const auto& [org, id] : refunds) {
    auto refund = storage::payment_store::findRefund(c, org, id, false);
    if (!refund) continue;
    refund->syncAttempts += 1;
    refund->nextSyncAtMs = now + kLeaseMs;
    refund->updatedAtMs = now;
    storage::payment_store::updateRefund(c, org, *refund);
  }
  tx.commit();
}

Result<bool> PaymentService::syncDuePayments(storage::HeldConnection& held,
                                             const std::vector<std::pair<std::string, std::string>>& payments,
                                             int& resolved) {
  auto& c = *held;
  for (const auto& [org, id] : payments) {
    try {
      auto payment = storage::payment_store::find(c, org, id, false);
      if (!payment) continue;
      if (payment->status == PaymentStatus::RequiresAction) {
        // The customer may have approved at the provider with neither a webhook nor the
        // return reaching us: completing the flow (as the customer's return would) asks
        // the provider and captures an approved PayPal order; it is idempotent.
        auto completed = complete(held, org, Actor::system(org, "reconciliation"), payment->orderId, id, "");
        if (!held.acquire()) return false;
        if (completed && completed->payment.status != PaymentStatus::RequiresAction &&
            completed->payment.status != PaymentStatus::Pending &&
            completed->payment.status != PaymentStatus::Unknown) {
          ++resolved;
        }
        continue;
      }
      Object::Ptr body = new Object;
      body->set("payment_id", payment->id);
      body->set("provider_reference", payment->providerReference.value_or(payment->id));
      body->set("provider_data", parseJsonObject(providerData(org, payment->id, payment->providerDataJson)));
      held.release();
      const GatewayAnswer answer = callGateway(org, payment->instanceId, "payment.sync", toJsonText(body), "", "");
      if (auto back = held.acquire(); !back) return back.error();
      auto applied = applyAnswer(c, org, id, GatewayOperation::Sync, answer, "system:reconciliation");
      if (!applied) continue;
      if (applied->refundAfterCommit) {
        held.release();  // the refund takes its own connection: never two at once
        refundCapturedPayment(org, applied->payment.orderId, applied->payment, "system:reconciliation",
                              "payment after cancellation");
        if (!held.acquire()) return false;
      }
      if (applied->payment.status != PaymentStatus::Unknown && applied->payment.status != PaymentStatus::Pending) {
        ++resolved;
      }
    } catch (const std::exception& e) {
      logging::warn("payment reconciliation failed", {{"payment_id", id}, {"reason", e.what()}});
      if (!held.acquire()) return false;
    }
  }
  return true;
}

Result<bool> PaymentService::syncDueRefunds(storage::HeldConnection& held,
                                            const std::vector<std::pair<std::string, std::string>>& refunds,
                                            int& resolved) {
  auto& c = *held;
  for (const auto& [org, id] : refunds) {
    try {
      auto refund = storage::payment_store::findRefund(c, org, id, false);
      auto payment = refund ? storage::payment_store::find(c, org, refund->paymentId, false) : std::nullopt;
      if (!refund || !payment) continue;
      GatewayAnswer answer;
      if (refund->providerReference) {
        Object::Ptr body = new Object;
        body->set("payment_id", payment->id);
        body->set("refund_id", refund->id);
        body->set("provider_reference", *refund->providerReference);
        body->set("provider_data", parseJsonObject(providerData(org, refund->id, refund->providerDataJson)));
        held.release();
        answer = callGateway(org, payment->instanceId, "payment.sync", toJsonText(body), "", "");
        if (auto back = held.acquire(); !back) return back.error();
        auto applied = applyRefundAnswer(c, org, id, answer, "system:reconciliation");
        if (applied && applied->status != domain::RefundStatus::Unknown &&
            applied->status != domain::RefundStatus::Pending) {
          ++resolved;
        }
      } else {
        // The refund call never reported back (the process died mid-call): repeating it
        // with the same idempotency key (the refund id) is what the provider dedupes.
        auto done = runRefund(held, org, id, "system:reconciliation", "");
        if (done && done->status != domain::RefundStatus::Unknown && done->status != domain::RefundStatus::Pending) {
          ++resolved;
        }
      }
    } catch (const std::exception& e) {
      logging::warn("refund reconciliation failed", {{"refund_id", id}, {"reason", e.what()}});
      if (!held.acquire()) return false;
    }
  }
  return true;
}

}  // namespace ordersvc::services
