#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/payment.h"
#include "platform/storage/database.h"

namespace ordersvc::storage::payment_store {

// Payments and refunds of orders, and the webhook inbox. Every function takes the
// caller's connection (so a payment's outcome, the order and its events commit
// together) and is scoped by organization. provider_data is stored as the caller gives
// it (the payment service seals it).

void insert(Connection& c, const std::string& org, const domain::Payment& payment);
// Writes every mutable column with version + 1 if the row still has payment.version.
// Returns false when another writer got there first.
bool update(Connection& c, const std::string& org, const domain::Payment& payment);
// `lock` = FOR UPDATE.
std::optional<domain::Payment> find(Connection& c, const std::string& org, const std::string& paymentId, bool lock);
std::vector<domain::Payment> listForOrder(Connection& c, const std::string& org, const std::string& orderId);
// The payment a provider event is about: its instance and the provider's reference.
std::optional<domain::Payment> findByReference(Connection& c, const std::string& org, const std::string& instanceId,
                                               const std::string& providerReference, bool lock);

void insertRefund(Connection& c, const std::string& org, const domain::Refund& refund);
void updateRefund(Connection& c, const std::string& org, const domain::Refund& refund);
std::optional<domain::Refund> findRefund(Connection& c, const std::string& org, const std::string& refundId, bool lock);
std::vector<domain::Refund> listRefundsForOrder(Connection& c, const std::string& org, const std::string& orderId);
// A refund a provider event reports, by the provider's refund id.
std::optional<domain::Refund> findRefundByReference(Connection& c, const std::string& org, const std::string& paymentId,
                                                    const std::string& providerReference);

// Reconciliation: (organization, id) of payments / refunds whose outcome is not known
// and whose next sync is due, claimed with SKIP LOCKED so processes share the work.
std::vector<std::pair<std::string, std::string>> claimDueSyncs(Connection& c, int64_t nowMs, int limit);
std::vector<std::pair<std::string, std::string>> claimDueRefundSyncs(Connection& c, int64_t nowMs, int limit);

// Records a provider event id for (organization, instance). False when it was already
// there: the event was processed before (or is being processed in another transaction,
// which this one then waits for).
bool recordWebhookEvent(Connection& c, const std::string& org, const std::string& instanceId,
                        const std::string& eventId, const std::string& eventTypes, int64_t nowMs);

}  // namespace ordersvc::storage::payment_store
