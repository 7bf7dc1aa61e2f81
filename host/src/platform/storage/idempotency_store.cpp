#include "platform/storage/idempotency_store.h"

#include "platform/storage/sql_query.h"

namespace ordersvc::storage::idempotency_store {

bool claim(Connection& c, const std::string& org, const std::string& scope, const std::string& key,
           const std::string& requestHash, int64_t nowMs) {
  const char* sql =
      "INSERT INTO idempotency_keys (organization_id, scope, idempotency_key, request_hash, state, created_at_ms) "
      "VALUES (?, ?, ?, ?, 'in_progress', ?) ON CONFLICT DO NOTHING";
  return SqlQuery(c, sql).arg(org).arg(scope).arg(key).arg(requestHash).arg(nowMs).exec() == 1;
}

std::optional<IdempotencyRecord> find(Connection& c, const std::string& org, const std::string& scope,
                                      const std::string& key) {
  auto rows = SqlQuery(c,
                       "SELECT request_hash, state, status_code, response_body, created_at_ms FROM idempotency_keys "
                       "WHERE organization_id = ? AND scope = ? AND idempotency_key = ?")
                  .arg(org)
                  .arg(scope)
                  .arg(key)
                  .rows();
  if (rows.rowCount() == 0) return std::nullopt;
  IdempotencyRecord r;
  r.requestHash = textAt(rows, 0, 0);
  r.state = textAt(rows, 1, 0);
  r.statusCode = static_cast<int>(intAt(rows, 2, 0));
  r.responseBody = textAt(rows, 3, 0);
  r.createdAtMs = intAt(rows, 4, 0);
  return r;
}

void complete(Connection& c, const std::string& org, const std::string& scope, const std::string& key, int statusCode,
              const std::string& body) {
  SqlQuery(c,
           "UPDATE idempotency_keys SET state = 'done', status_code = ?, response_body = ? "
           "WHERE organization_id = ? AND scope = ? AND idempotency_key = ?")
      .arg(static_cast<int64_t>(statusCode))
      .arg(body)
      .arg(org)
      .arg(scope)
      .arg(key)
      .exec();
}

void forget(Connection& c, const std::string& org, const std::string& scope, const std::string& key) {
  SqlQuery(c, "DELETE FROM idempotency_keys WHERE organization_id = ? AND scope = ? AND idempotency_key = ?")
      .arg(org)
      .arg(scope)
      .arg(key)
      .exec();
}

std::size_t purge(Connection& c, int64_t beforeMs) {
  return SqlQuery(c, "DELETE FROM idempotency_keys WHERE created_at_ms < ?").arg(beforeMs).exec();
}

}  // namespace ordersvc::storage::idempotency_store
