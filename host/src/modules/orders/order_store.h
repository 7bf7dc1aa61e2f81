#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/order.h"
#include "platform/storage/database.h"

namespace ordersvc::storage {

// Filters and page of GET /api/v1/orders. The cursor is (created_at_ms, id) of the last
// row of the previous page, so paging is stable while orders keep arriving.
struct OrderQuery {
  std::string organizationId;
  std::optional<std::string> customerId;  // customers see only their own
  std::optional<std::string> status;
  std::optional<std::string> type;
  std::optional<int64_t> createdFromMs;  // inclusive
  std::optional<int64_t> createdToMs;    // exclusive
  bool newestFirst = true;
  std::optional<std::pair<int64_t, std::string>> after;
  int limit = 20;
};

// Orders with their items, timeline and payments. Every function takes the caller's
// connection so the writes of one change share its transaction.
namespace order_store {

// The next "ORD-<year>-<000123>" of the organization (one counter per year), taken
// under the sequence row's lock inside the caller's transaction.
std::string nextOrderNumber(Connection& c, const std::string& org, int year);

void insert(Connection& c, const domain::Order& order);
// Header only (`lock` = FOR UPDATE), or the order with its items and timeline (its payments
// and refunds belong to the payments module: OrderPayments::loadPaymentsInto).
std::optional<domain::Order> findHeader(Connection& c, const std::string& org, const std::string& id, bool lock);
std::optional<domain::Order> findFull(Connection& c, const std::string& org, const std::string& id);
std::optional<std::string> findIdByCart(Connection& c, const std::string& org, const std::string& cartId);
std::vector<domain::Order> list(Connection& c, const OrderQuery& query);

// Writes status, money, payment and reservation columns with version + 1, only if the
// stored version is still `order.version`. False means someone else won the race.
bool update(Connection& c, const domain::Order& order);

void appendTimeline(Connection& c, const std::string& org, const std::string& orderId,
                    const domain::TimelineEntry& entry);

// Pending and payment_pending orders whose reservation expired before `nowMs`, and payment_failed orders
// that failed before `failedBeforeMs`: (organization, order id), claimed with SKIP LOCKED.
std::vector<std::pair<std::string, std::string>> claimExpiredReservations(Connection& c, int64_t nowMs, int limit);
std::vector<std::pair<std::string, std::string>> claimStalePaymentFailures(Connection& c, int64_t failedBeforeMs,
                                                                           int limit);

}  // namespace order_store
}  // namespace ordersvc::storage
