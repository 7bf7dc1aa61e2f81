#include "platform/storage/outbox_store.h"

#include "kernel/ids.h"
#include "platform/storage/sql_query.h"

namespace ordersvc::storage::outbox_store {

void append(Connection& c, const std::string& org, const std::string& type, const std::string& dataJson,
            int64_t nowMs) {
  SqlQuery(c,
           "INSERT INTO outbox_events (id, organization_id, event_type, occurred_at_ms, data) VALUES (?, ?, ?, ?, ?)")
      .arg(newId("evt"))
      .arg(org)
      .arg(type)
      .arg(nowMs)
      .arg(dataJson)
      .exec();
}

std::vector<OutboxEvent> list(Connection& c, const std::string& org, int64_t afterSeq, int limit,
                              const std::optional<std::string>& type) {
  std::string sql =
      "SELECT seq, id, organization_id, event_type, occurred_at_ms, data, sent_at_ms FROM outbox_events "
      "WHERE organization_id = ? AND seq > ?";
  if (type) sql += " AND event_type = ?";
  sql += " ORDER BY seq LIMIT ?";
  SqlQuery query(c, sql);
  query.arg(org).arg(afterSeq);
  if (type) query.arg(*type);
  auto rows = query.arg(static_cast<int64_t>(limit)).rows();
  std::vector<OutboxEvent> out;
  for (std::size_t i = 0; i < rows.rowCount(); ++i) {
    OutboxEvent e;
    e.seq = intAt(rows, 0, i);
    e.id = textAt(rows, 1, i);
    e.organizationId = textAt(rows, 2, i);
    e.type = textAt(rows, 3, i);
    e.occurredAtMs = intAt(rows, 4, i);
    e.dataJson = textAt(rows, 5, i);
    e.sentAtMs = optionalIntAt(rows, 6, i);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace ordersvc::storage::outbox_store
