#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "kernel/result.h"
#include "platform/storage/database.h"

namespace ordersvc::integrations {

// One row of `outbox_events` (migration 5) as the relay reads it.
struct OutboxEvent {
  long long seq = 0;
  std::string id;  // "evt_…"; becomes the AMQP message_id
  std::string organizationId;
  std::string eventType;       // "order.created"; becomes the routing key and the AMQP type
  long long occurredAtMs = 0;  // epoch milliseconds
  std::string data;            // JSON object text, embedded as is
};

struct OutboxRelayOptions {
  std::string amqpUrl;                      // RABBITMQ_URL, amqp://user:pass@host:port/vhost
  std::string exchange = "order_events";    // RABBITMQ_EXCHANGE
  int batchSize = 200;                      // events claimed and published per relayOnce()
  std::chrono::milliseconds timeout{5000};  // connect, each broker RPC, and one batch's confirms
};

// Publishes the events the order code wrote to `outbox_events` to a RabbitMQ topic
// exchange, and marks them sent.
//
// Delivery is at-least-once. A row is marked sent only after the broker confirmed its
// message (publisher confirms), in the transaction that claimed it; a crash, or a lost
// database, between the broker's confirm and that commit publishes the event again on
// the next call. Consumers must therefore de-duplicate by message_id (the event id).
//
// Messages: exchange `options.exchange` (declared on every (re)connect as a durable
// topic exchange), routing key = event type, body = outboxMessageBody(), properties
// content_type "application/json", delivery_mode 2 (persistent), message_id = event
// id, type = event type, timestamp = occurred_at in epoch seconds. Within one relay,
// events go out in `seq` order; with several relays each batch is in order but batches
// interleave.
//
// Several relays (threads or processes) may work one PostgreSQL database: each claims
// its batch with SELECT … FOR UPDATE SKIP LOCKED inside a transaction, so no event is
// claimed twice at once. On SQLite (one process) the claim is serialised by BEGIN
// IMMEDIATE, which also holds SQLite's single write lock while a batch is published.
//
// Secrets: errors and log lines show the AMQP URL with its password masked.
//
// Thread-safety: relayOnce() may be called from any thread; calls on one relay are
// serialised by an internal mutex (it owns one broker connection). `database` must
// outlive the relay.
class OutboxRelay {
 public:
  OutboxRelay(storage::Database& database, OutboxRelayOptions options);
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Claims up to batchSize unsent events (oldest first), publishes them, waits for the
  // broker's confirms and marks the confirmed ones sent (sent_at_ms, attempts + 1).
  // Returns how many were sent; 0 when nothing was waiting. The claiming transaction is
  // open for about `timeout` at most: confirms missing at that point count as failed.
  //
  // Errors:
  //  - Unavailable when the broker cannot be reached, refuses the login or the exchange
  //    declaration, nacks a message, does not confirm in time, or drops the connection.
  //    The events not confirmed stay unsent with attempts + 1 and last_error set, and go
  //    out on a later call; the broker connection is dropped and re-opened next time.
  //  - Unavailable / Internal from the database (nothing is marked; events published
  //    before the failure go out again: at-least-once).
  //  - InvalidArgument when amqpUrl is malformed or amqps:// (TLS is not supported yet).
  Result<int> relayOnce();

 private:
  class Broker;  // the AMQP connection; keeps <amqp.h> out of this header

  Result<int> publishBatch(storage::Connection& connection);
  // Counts a failed attempt on the next batch when no publish could even start.
  void recordFailureOnNextBatch(const std::string& reason);
  void noteOutage(const std::string& reason);  // logs once per outage
  void noteRecovery();

  storage::Database& database_;
  OutboxRelayOptions options_;
  std::string displayUrl_;          // amqpUrl with the password masked
  std::mutex mutex_;                // serialises relayOnce()
  std::unique_ptr<Broker> broker_;  // guarded by mutex_; null or connected
  bool outageLogged_ = false;       // guarded by mutex_
};

// The JSON message body for one event:
// {"id":…,"type":…,"organization_id":…,"occurred_at":"2026-11-25T15:48:45.123Z","data":{…}}
// occurred_at is RFC 3339 UTC with milliseconds; `data` is embedded as stored (an
// empty text becomes {}).
std::string outboxMessageBody(const OutboxEvent& event);

}  // namespace ordersvc::integrations
