#include "modules/payments/payment_store.h"

#include "platform/storage/sql_query.h"

namespace ordersvc::storage::payment_store {

namespace {

constexpr const char* kPaymentColumns =
    "SELECT id, order_id, instance_id, payment_method, amount_minor, currency, status, capture_mode, captured_minor, "
    "refunded_minor, provider_reference, provider_data, failure_reason, fraud_outcome, fraud_reasons, lease_until_ms, "
    "next_sync_at_ms, sync_attempts, version, created_at_ms, updated_at_ms FROM payments ";

domain::Payment paymentAt(const Poco::Data::RecordSet& r, std::size_t i) {
  domain::Payment p;
  p.id = textAt(r, 0, i);
  p.orderId = textAt(r, 1, i);
  p.instanceId = textAt(r, 2, i);
  p.paymentMethod = textAt(r, 3, i);
  p.amountMinor = intAt(r, 4, i);
  p.currency = textAt(r, 5, i);
  p.status = domain::parsePaymentStatus(textAt(r, 6, i)).value_or(domain::PaymentStatus::Unknown);
  p.captureMode = domain::parseCaptureMode(textAt(r, 7, i)).value_or(domain::CaptureMode::Automatic);
  p.capturedMinor = intAt(r, 8, i);
  p.refundedMinor = intAt(r, 9, i);
  p.providerReference = optionalTextAt(r, 10, i);
  p.providerDataJson = optionalTextAt(r, 11, i);
  p.failureReason = optionalTextAt(r, 12, i);
  p.fraudOutcome = optionalTextAt(r, 13, i);
  p.fraudReasons = optionalTextAt(r, 14, i);
  p.leaseUntilMs = optionalIntAt(r, 15, i);
  p.nextSyncAtMs = optionalIntAt(r, 16, i);
  p.syncAttempts = static_cast<int>(intAt(r, 17, i));
  p.version = intAt(r, 18, i);
  p.createdAtMs = intAt(r, 19, i);
  p.updatedAtMs = intAt(r, 20, i);
  return p;
}

constexpr const char* kRefundColumns =
    "SELECT id, order_id, payment_id, amount_minor, currency, status, reason, items, provider_reference, "
    "provider_data, "
    "failure_reason, next_sync_at_ms, sync_attempts, created_at_ms, updated_at_ms FROM payment_refunds ";

domain::Refund refundAt(const Poco::Data::RecordSet& r, std::size_t i) {
  domain::Refund f;
  f.id = textAt(r, 0, i);
  f.orderId = textAt(r, 1, i);
  f.paymentId = textAt(r, 2, i);
  f.amountMinor = intAt(r, 3, i);
  f.currency = textAt(r, 4, i);
  f.status = domain::parseRefundStatus(textAt(r, 5, i)).value_or(domain::RefundStatus::Unknown);
  f.reason = textAt(r, 6, i);
  f.itemsJson = optionalTextAt(r, 7, i);
  f.providerReference = optionalTextAt(r, 8, i);
  f.providerDataJson = optionalTextAt(r, 9, i);
  f.failureReason = optionalTextAt(r, 10, i);
  f.nextSyncAtMs = optionalIntAt(r, 11, i);
  f.syncAttempts = static_cast<int>(intAt(r, 12, i));
  f.createdAtMs = intAt(r, 13, i);
  f.updatedAtMs = intAt(r, 14, i);
  return f;
}

std::string lockSuffix(Connection& c, bool lock) {
  return lock ? std::string(c.dialect().forUpdate()) : std::string();
}

}  // namespace

void insert(Connection& c, const std::string& org, const domain::Payment& p) {
  SqlQuery(c,
           "INSERT INTO payments (organization_id, id, order_id, instance_id, payment_method, amount_minor, currency, "
           "status, capture_mode, captured_minor, refunded_minor, provider_reference, provider_data, failure_reason, "
           "fraud_outcome, fraud_reasons, lease_until_ms, next_sync_at_ms, sync_attempts, version, created_at_ms, "
           "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .arg(org)
      .arg(p.id)
      .arg(p.orderId)
      .arg(p.instanceId)
      .arg(p.paymentMethod)
      .arg(p.amountMinor)
      .arg(p.currency)
      .arg(std::string(domain::paymentStatusName(p.status)))
      .arg(std::string(domain::captureModeName(p.captureMode)))
      .arg(p.capturedMinor)
      .arg(p.refundedMinor)
      .arg(p.providerReference)
      .arg(p.providerDataJson)
      .arg(p.failureReason)
      .arg(p.fraudOutcome)
      .arg(p.fraudReasons)
      .arg(p.leaseUntilMs)
      .arg(p.nextSyncAtMs)
      .arg(static_cast<int64_t>(p.syncAttempts))
      .arg(p.version)
      .arg(p.createdAtMs)
      .arg(p.updatedAtMs)
      .exec();
}

bool update(Connection& c, const std::string& org, const domain::Payment& p) {
  return SqlQuery(c,
                  "UPDATE payments SET status = ?, captured_minor = ?, refunded_minor = ?, provider_reference = ?, "
                  "provider_data = ?, failure_reason = ?, fraud_outcome = ?, fraud_reasons = ?, lease_until_ms = ?, "
                  "next_sync_at_ms = ?, sync_attempts = ?, version = version + 1, updated_at_ms = ? "
                  "WHERE organization_id = ? AND id = ? AND version = ?")
             .arg(std::string(domain::paymentStatusName(p.status)))
             .arg(p.capturedMinor)
             .arg(p.refundedMinor)
             .arg(p.providerReference)
             .arg(p.providerDataJson)
             .arg(p.failureReason)
             .arg(p.fraudOutcome)
             .arg(p.fraudReasons)
             .arg(p.leaseUntilMs)
             .arg(p.nextSyncAtMs)
             .arg(static_cast<int64_t>(p.syncAttempts))
             .arg(p.updatedAtMs)
             .arg(org)
             .arg(p.id)
             .arg(p.version)
             .exec() == 1;
}

std::optional<domain::Payment> find(Connection& c, const std::string& org, const std::string& paymentId, bool lock) {
  auto rows = SqlQuery(c, std::string(kPaymentColumns) + "WHERE organization_id = ? AND id = ?" + lockSuffix(c, lock))
                  .arg(org)
                  .arg(paymentId)
                  .rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return paymentAt(rows, 0);
}

std::vector<domain::Payment> listForOrder(Connection& c, const std::string& org, const std::string& orderId) {
  auto rows = SqlQuery(c, std::string(kPaymentColumns) +
                              "WHERE organization_id = ? AND order_id = ? ORDER BY created_at_ms, id")
                  .arg(org)
                  .arg(orderId)
                  .rows();
  std::vector<domain::Payment> out;
  for (std::size_t i = 0; i < rows.rowCount(); ++i) out.push_back(paymentAt(rows, i));
  return out;
}

std::optional<domain::Payment> findByReference(Connection& c, const std::string& org, const std::string& instanceId,
                                               const std::string& providerReference, bool lock) {
  auto rows = SqlQuery(c, std::string(kPaymentColumns) +
                              "WHERE organization_id = ? AND instance_id = ? AND provider_reference = ? "
                              "ORDER BY created_at_ms DESC LIMIT 1" +
                              lockSuffix(c, lock))
                  .arg(org)
                  .arg(instanceId)
                  .arg(providerReference)
                  .rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return paymentAt(rows, 0);
}

void insertRefund(Connection& c, const std::string& org, const domain::Refund& f) {
  SqlQuery(c,
           "INSERT INTO payment_refunds (organization_id, id, order_id, payment_id, amount_minor, currency, status, "
           "reason, items, provider_reference, provider_data, failure_reason, next_sync_at_ms, sync_attempts, "
           "created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .arg(org)
      .arg(f.id)
      .arg(f.orderId)
      .arg(f.paymentId)
      .arg(f.amountMinor)
      .arg(f.currency)
      .arg(std::string(domain::refundStatusName(f.status)))
      .arg(f.reason)
      .arg(f.itemsJson)
      .arg(f.providerReference)
      .arg(f.providerDataJson)
      .arg(f.failureReason)
      .arg(f.nextSyncAtMs)
      .arg(static_cast<int64_t>(f.syncAttempts))
      .arg(f.createdAtMs)
      .arg(f.updatedAtMs)
      .exec();
}

void updateRefund(Connection& c, const std::string& org, const domain::Refund& f) {
  SqlQuery(c,
           "UPDATE payment_refunds SET status = ?, provider_reference = ?, provider_data = ?, failure_reason = ?, "
           "next_sync_at_ms = ?, sync_attempts = ?, updated_at_ms = ? WHERE organization_id = ? AND id = ?")
      .arg(std::string(domain::refundStatusName(f.status)))
      .arg(f.providerReference)
      .arg(f.providerDataJson)
      .arg(f.failureReason)
      .arg(f.nextSyncAtMs)
      .arg(static_cast<int64_t>(f.syncAttempts))
      .arg(f.updatedAtMs)
      .arg(org)
      .arg(f.id)
      .exec();
}

std::optional<domain::Refund> findRefund(Connection& c, const std::string& org, const std::string& refundId,
                                         bool lock) {
  auto rows = SqlQuery(c, std::string(kRefundColumns) + "WHERE organization_id = ? AND id = ?" + lockSuffix(c, lock))
                  .arg(org)
                  .arg(refundId)
                  .rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return refundAt(rows, 0);
}

std::vector<domain::Refund> listRefundsForOrder(Connection& c, const std::string& org, const std::string& orderId) {
  auto rows =
      SqlQuery(c, std::string(kRefundColumns) + "WHERE organization_id = ? AND order_id = ? ORDER BY created_at_ms, id")
          .arg(org)
          .arg(orderId)
          .rows();
  std::vector<domain::Refund> out;
  for (std::size_t i = 0; i < rows.rowCount(); ++i) out.push_back(refundAt(rows, i));
  return out;
}

std::optional<domain::Refund> findRefundByReference(Connection& c, const std::string& org, const std::string& paymentId,
                                                    const std::string& providerReference) {
  auto rows = SqlQuery(c, std::string(kRefundColumns) +
                              "WHERE organization_id = ? AND payment_id = ? AND provider_reference = ?")
                  .arg(org)
                  .arg(paymentId)
                  .arg(providerReference)
                  .rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return refundAt(rows, 0);
}

std::vector<std::pair<std::string, std::string>> claimDueSyncs(Connection& c, int64_t nowMs, int limit) {
  const std::string sql =
      "SELECT organization_id, id FROM payments WHERE next_sync_at_ms IS NOT NULL AND "
      "next_sync_at_ms <= ? AND (lease_until_ms IS NULL OR lease_until_ms < ?) "
      "ORDER BY next_sync_at_ms LIMIT ?" +
      std::string(c.dialect().forUpdateSkipLocked());
  return textPairs(SqlQuery(c, sql).arg(nowMs).arg(nowMs).arg(static_cast<int64_t>(limit)).rows());
}

std::vector<std::pair<std::string, std::string>> claimDueRefundSyncs(Connection& c, int64_t nowMs, int limit) {
  const std::string sql =
      "SELECT organization_id, id FROM payment_refunds WHERE next_sync_at_ms IS NOT NULL AND "
      "next_sync_at_ms <= ? ORDER BY next_sync_at_ms LIMIT ?" +
      std::string(c.dialect().forUpdateSkipLocked());
  return textPairs(SqlQuery(c, sql).arg(nowMs).arg(static_cast<int64_t>(limit)).rows());
}

bool recordWebhookEvent(Connection& c, const std::string& org, const std::string& instanceId,
                        const std::string& eventId, const std::string& eventTypes, int64_t nowMs) {
  const char* sql =
      "INSERT INTO webhook_inbox (organization_id, instance_id, event_id, received_at_ms, event_types) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  return SqlQuery(c, sql).arg(org).arg(instanceId).arg(eventId).arg(nowMs).arg(eventTypes).exec() == 1;
}

}  // namespace ordersvc::storage::payment_store
