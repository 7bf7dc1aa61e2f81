#include "platform/storage/outbox_migrations.h"

namespace ordersvc::storage {

namespace {

constexpr std::string_view kOutboxSqlite = R"sql(
CREATE TABLE outbox_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  organization_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  occurred_at_ms BIGINT NOT NULL,
  data TEXT NOT NULL,
  sent_at_ms BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX outbox_events_org_idx ON outbox_events (organization_id, seq);
CREATE INDEX outbox_events_unsent_idx ON outbox_events (sent_at_ms, seq)
)sql";

constexpr std::string_view kOutboxPostgres = R"sql(
CREATE TABLE outbox_events (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  organization_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  occurred_at_ms BIGINT NOT NULL,
  data TEXT NOT NULL,
  sent_at_ms BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX outbox_events_org_idx ON outbox_events (organization_id, seq);
CREATE INDEX outbox_events_unsent_idx ON outbox_events (seq) WHERE sent_at_ms IS NULL
)sql";

}  // namespace

const std::vector<Migration>& outboxMigrations() {
  static const std::vector<Migration> migrations = {
      {5, "create outbox_events", kOutboxSqlite, kOutboxPostgres},
  };
  return migrations;
}

}  // namespace ordersvc::storage
