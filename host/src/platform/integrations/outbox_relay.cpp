#include "platform/integrations/outbox_relay.h"

#include <sys/time.h>

#include <algorithm>
#include <vector>

#include <amqp.h>
#include <amqp_tcp_socket.h>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include "kernel/json_text.h"
#include "platform/config/settings.h"
#include "platform/logging/log.h"
#include "platform/storage/sql_errors.h"

namespace ordersvc::integrations {

using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using Clock = std::chrono::steady_clock;

namespace {

constexpr amqp_channel_t kChannel = 1;
constexpr std::size_t kMaxLastErrorLength = 1000;

amqp_bytes_t bytesOf(const std::string& text) {
  return amqp_bytes_t{text.size(), const_cast<char*>(text.data())};  // read-only use by rabbitmq-c
}

timeval toTimeval(std::chrono::milliseconds ms) {
  const long long total = std::max<long long>(ms.count(), 0);
  return timeval{static_cast<time_t>(total / 1000), static_cast<suseconds_t>((total % 1000) * 1000)};
}

std::string closeText(const amqp_bytes_t& text, unsigned code) {
  return std::to_string(code) + " " + std::string(static_cast<const char*>(text.bytes), text.len);
}

std::string replyText(const amqp_rpc_reply_t& reply) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return "ok";
    case AMQP_RESPONSE_NONE:
      return "missing reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return amqp_error_string2(reply.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        const auto* close = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
        return "server closed the connection: " + closeText(close->reply_text, close->reply_code);
      }
      if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        const auto* close = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
        return "server closed the channel: " + closeText(close->reply_text, close->reply_code);
      }
      return "server error";
  }
  return "unknown reply";
}

long long wallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "1,2,3". The values are the table's own integer keys, so building them into the SQL
// text is safe, and one statement marks the whole batch.
std::string seqList(const std::vector<Poco::Int64>& seqs) {
  std::string out;
  for (const Poco::Int64 seq : seqs) {
    if (!out.empty()) out += ',';
    out += std::to_string(seq);
  }
  return out;
}

std::vector<OutboxEvent> claimBatch(Poco::Data::Session& session, const storage::Dialect& dialect, int limit) {
  int max = limit;
  Poco::Data::Statement select(session);
  select << dialect.sql(
      "SELECT seq, id, organization_id, event_type, occurred_at_ms, data FROM outbox_events "
      "WHERE sent_at_ms IS NULL ORDER BY seq LIMIT ?" +
      std::string(dialect.forUpdateSkipLocked())),
      use(max);
  select.execute();
  Poco::Data::RecordSet rows(select);
  std::vector<OutboxEvent> events;
  events.reserve(rows.rowCount());
  for (std::size_t i = 0; i < rows.rowCount(); ++i) {
    OutboxEvent event;
    event.seq = rows.value(0, i).convert<Poco::Int64>();
    event.id = rows.value(1, i).convert<std::string>();
    event.organizationId = rows.value(2, i).convert<std::string>();
    event.eventType = rows.value(3, i).convert<std::string>();
    event.occurredAtMs = rows.value(4, i).convert<Poco::Int64>();
    event.data = rows.value(5, i).convert<std::string>();
    events.push_back(std::move(event));
  }
  return events;
}

void markSent(Poco::Data::Session& session, const storage::Dialect& dialect, const std::vector<Poco::Int64>& seqs) {
  Poco::Int64 sentAt = wallClockMs();
  session << dialect.sql("UPDATE outbox_events SET sent_at_ms = ?, attempts = attempts + 1 WHERE seq IN (" +
                         seqList(seqs) + ")"),
      use(sentAt), now;
}

void markFailed(Poco::Data::Session& session, const storage::Dialect& dialect, const std::vector<Poco::Int64>& seqs,
                const std::string& reason) {
  std::string lastError = reason.substr(0, kMaxLastErrorLength);
  session << dialect.sql("UPDATE outbox_events SET attempts = attempts + 1, last_error = ? WHERE seq IN (" +
                         seqList(seqs) + ")"),
      use(lastError), now;
}

}  // namespace

// ---------------------------------------------------------------------------- Broker

// One AMQP connection with channel 1 in confirm mode. Once anything goes wrong on it
// (healthy() false) it is only destroyed, never reused.
class OutboxRelay::Broker {
 public:
  // What publish() achieved: confirmed[i] is true when the broker acked events[i].
  struct Outcome {
    std::vector<bool> confirmed;
    std::string error;  // empty when every event was confirmed
  };

  static Result<std::unique_ptr<Broker>> open(const OutboxRelayOptions& options, const std::string& displayUrl);

  ~Broker() {
    if (loggedIn_ && healthy_) {
      // Polite close, bounded by the RPC time-out set at open.
      amqp_channel_close(connection_, kChannel, AMQP_REPLY_SUCCESS);
      amqp_connection_close(connection_, AMQP_REPLY_SUCCESS);
    }
    amqp_destroy_connection(connection_);
  }
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  bool healthy() const { return healthy_; }

  // Reads, without waiting, whatever the broker sent while the connection sat idle: a
  // connection.close (broker shutting down) or end of stream marks it unhealthy, so the
  // next batch goes out on a fresh connection instead of failing on the old one.
  bool checkIdle();

  // Publishes `events` in order and waits until `deadline` for the broker's confirms.
  Outcome publish(const std::vector<OutboxEvent>& events, const std::string& exchange, Clock::time_point deadline);

 private:
  Broker() : connection_(amqp_new_connection()) {}

  // Sends one event (persistent, routing key = type); the rabbitmq-c status.
  int publishOne(const OutboxEvent& event, const std::string& exchange);
  // Waits until `deadline` for the confirms of `count` messages from delivery tag `firstTag` on.
  // Per message: 0 no answer, 1 acked, 2 nacked. `error` says why not all were acked.
  std::vector<char> awaitConfirms(std::size_t count, std::uint64_t firstTag, Clock::time_point deadline,
                                  std::string& error);

  amqp_connection_state_t connection_;
  bool loggedIn_ = false;
  bool healthy_ = true;
  // Delivery tags count publishes on the channel since confirm.select, starting at 1.
  std::uint64_t published_ = 0;
};

Result<std::unique_ptr<OutboxRelay::Broker>> OutboxRelay::Broker::open(const OutboxRelayOptions& options,
                                                                       const std::string& displayUrl) {
  // amqp_parse_url edits its input in place and `info` points into it.
  std::vector<char> text(options.amqpUrl.begin(), options.amqpUrl.end());
  text.push_back('\0');
  amqp_connection_info info;
  amqp_default_connection_info(&info);
  if (amqp_parse_url(text.data(), &info) != AMQP_STATUS_OK) {
    return Error::invalidArgument("malformed RabbitMQ URL " + displayUrl);
  }
  if (info.ssl) return Error::invalidArgument("amqps:// (TLS) is not supported by the outbox relay yet");

  std::unique_ptr<Broker> broker(new Broker());
  amqp_connection_state_t connection = broker->connection_;
  if (connection == nullptr) return Error::internal("cannot allocate an AMQP connection");
  const auto fail = [&](const std::string& what) {
    broker->healthy_ = false;
    return Error::unavailable("RabbitMQ at " + displayUrl + ": " + what);
  };
  amqp_socket_t* socket = amqp_tcp_socket_new(connection);
  if (socket == nullptr) return fail("cannot create a socket");
  timeval tv = toTimeval(options.timeout);
  const int opened = amqp_socket_open_noblock(socket, info.host, info.port, &tv);
  if (opened != AMQP_STATUS_OK) return fail(std::string("cannot connect: ") + amqp_error_string2(opened));
  amqp_set_handshake_timeout(connection, &tv);
  amqp_set_rpc_timeout(connection, &tv);

  const amqp_rpc_reply_t login = amqp_login(connection, info.vhost, 1, AMQP_DEFAULT_FRAME_SIZE, 0,
                                            AMQP_SASL_METHOD_PLAIN, info.user, info.password);
  if (login.reply_type != AMQP_RESPONSE_NORMAL) return fail("login failed: " + replyText(login));
  broker->loggedIn_ = true;

  amqp_channel_open(connection, kChannel);
  if (const auto reply = amqp_get_rpc_reply(connection); reply.reply_type != AMQP_RESPONSE_NORMAL) {
    return fail("channel open failed: " + replyText(reply));
  }
  // The default exchange ("") exists already and cannot be declared.
  if (!options.exchange.empty()) {
    amqp_exchange_declare(connection, kChannel, bytesOf(options.exchange), amqp_cstring_bytes("topic"), 0, 1, 0, 0,
                          amqp_empty_table);
    if (const auto reply = amqp_get_rpc_reply(connection); reply.reply_type != AMQP_RESPONSE_NORMAL) {
      return fail("declaring topic exchange " + options.exchange + " failed: " + replyText(reply));
    }
  }
  amqp_confirm_select(connection, kChannel);
  if (const auto reply = amqp_get_rpc_reply(connection); reply.reply_type != AMQP_RESPONSE_NORMAL) {
    return fail("confirm.select failed: " + replyText(reply));
  }
  return broker;
}

bool OutboxRelay::Broker::checkIdle() {
  while (healthy_) {
    timeval zero{0, 0};
    amqp_frame_t frame;
    const int status = amqp_simple_wait_frame_noblock(connection_, &frame, &zero);
    if (status == AMQP_STATUS_TIMEOUT) break;  // nothing pending: still open
    if (status != AMQP_STATUS_OK) {
      healthy_ = false;
    } else if (frame.frame_type == AMQP_FRAME_METHOD && (frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD ||
                                                         frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD)) {
      healthy_ = false;
    }
    amqp_maybe_release_buffers(connection_);
  }
  return healthy_;
}

OutboxRelay::Broker::Outcome OutboxRelay::Broker::publish(const std::vector<OutboxEvent>& events,
                                                          const std::string& exchange, Clock::time_point deadline) {
  Outcome outcome;
  outcome.confirmed.assign(events.size(), false);
  const std::uint64_t firstTag = published_ + 1;

  for (const OutboxEvent& event : events) {
    const int status = publishOne(event, exchange);
    if (status != AMQP_STATUS_OK) {
      // Whatever went out before cannot be confirmed on a broken connection either.
      healthy_ = false;
      outcome.error = std::string("publish failed: ") + amqp_error_string2(status);
      return outcome;
    }
    ++published_;
  }

  const std::vector<char> state = awaitConfirms(events.size(), firstTag, deadline, outcome.error);
  if (!outcome.error.empty()) healthy_ = false;
  for (std::size_t i = 0; i < events.size(); ++i) outcome.confirmed[i] = state[i] == 1;
  return outcome;
}

int OutboxRelay::Broker::publishOne(const OutboxEvent& event, const std::string& exchange) {
  const std::string body = outboxMessageBody(event);
  amqp_basic_properties_t properties{};
  properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG |
                      AMQP_BASIC_TYPE_FLAG | AMQP_BASIC_TIMESTAMP_FLAG;
  properties.content_type = amqp_cstring_bytes("application/json");
  properties.delivery_mode = 2;  // persistent
  properties.message_id = bytesOf(event.id);
  properties.type = bytesOf(event.eventType);
  properties.timestamp = static_cast<std::uint64_t>(std::max<long long>(event.occurredAtMs / 1000, 0));
  return amqp_basic_publish(connection_, kChannel, bytesOf(exchange), bytesOf(event.eventType), 0, 0, &properties,
                            bytesOf(body));
}

std::vector<char> OutboxRelay::Broker::awaitConfirms(std::size_t count, std::uint64_t firstTag,
                                                     Clock::time_point deadline, std::string& error) {
  // 0 waiting, 1 acked, 2 nacked; index = delivery tag - firstTag.
  std::vector<char> state(count, 0);
  std::size_t pending = count;
  std::size_t nacked = 0;
  const auto resolve = [&](std::uint64_t tag, bool multiple, char value) {
    const std::uint64_t from = multiple ? firstTag : tag;
    for (std::uint64_t t = std::max(from, firstTag); t <= tag && t < firstTag + count; ++t) {
      char& slot = state[t - firstTag];
      if (slot != 0) continue;
      slot = value;
      --pending;
      if (value == 2) ++nacked;
    }
  };

  while (pending > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      error = "no confirm from the broker in time for " + std::to_string(pending) + " message(s)";
      break;
    }
    timeval tv = toTimeval(left);
    amqp_frame_t frame;
    const int status = amqp_simple_wait_frame_noblock(connection_, &frame, &tv);
    if (status == AMQP_STATUS_TIMEOUT) continue;  // the deadline check above ends the wait
    if (status != AMQP_STATUS_OK) {
      error = std::string("connection lost while waiting for confirms: ") + amqp_error_string2(status);
      break;
    }
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;
    const amqp_method_t& method = frame.payload.method;
    if (method.id == AMQP_BASIC_ACK_METHOD) {
      const auto* ack = static_cast<amqp_basic_ack_t*>(method.decoded);
      resolve(ack->delivery_tag, ack->multiple != 0, 1);
    } else if (method.id == AMQP_BASIC_NACK_METHOD) {
      const auto* nack = static_cast<amqp_basic_nack_t*>(method.decoded);
      resolve(nack->delivery_tag, nack->multiple != 0, 2);
    } else if (method.id == AMQP_CHANNEL_CLOSE_METHOD) {
      const auto* close = static_cast<amqp_channel_close_t*>(method.decoded);
      error = "broker closed the channel: " + closeText(close->reply_text, close->reply_code);
      break;
    } else if (method.id == AMQP_CONNECTION_CLOSE_METHOD) {
      const auto* close = static_cast<amqp_connection_close_t*>(method.decoded);
      error = "broker closed the connection: " + closeText(close->reply_text, close->reply_code);
      break;
    }
    amqp_maybe_release_buffers(connection_);
  }
  if (error.empty() && nacked > 0) {
    error = "broker rejected (nack) " + std::to_string(nacked) + " message(s)";
  }
  return state;
}

// ---------------------------------------------------------------------------- OutboxRelay

OutboxRelay::OutboxRelay(storage::Database& database, OutboxRelayOptions options)
    : database_(database), options_(std::move(options)), displayUrl_(config::redactUrl(options_.amqpUrl)) {}

OutboxRelay::~OutboxRelay() = default;

Result<int> OutboxRelay::relayOnce() {
  std::lock_guard lock(mutex_);
  if (broker_ && !broker_->checkIdle()) broker_.reset();
  if (!broker_) {
    auto opened = Broker::open(options_, displayUrl_);
    if (!opened) {
      // A broker that is down still costs the waiting events an attempt, so the table
      // shows what is stuck and why. A bad URL is configuration, not an attempt.
      if (opened.error().code == ErrorCode::Unavailable) recordFailureOnNextBatch(opened.error().message);
      noteOutage(opened.error().message);
      return opened.error();
    }
    broker_ = std::move(opened).value();
  }
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  auto sent = publishBatch(*connection);
  if (broker_ && !broker_->healthy()) broker_.reset();
  if (sent) noteRecovery();
  return sent;
}

Result<int> OutboxRelay::publishBatch(storage::Connection& connection) {
  const storage::Dialect& dialect = connection.dialect();
  Poco::Data::Session& session = connection.session();
  // The transaction lives from here to the commit below: the claim, the publish, the
  // confirms (bounded by the deadline) and two UPDATEs.
  const auto deadline = Clock::now() + options_.timeout;
  std::string failure;
  int sentCount = 0;
  try {
    dialect.begin(session);
    try {
      const std::vector<OutboxEvent> events = claimBatch(session, dialect, options_.batchSize);
      if (events.empty()) {
        dialect.commit(session);
        return 0;
      }
      const Broker::Outcome outcome = broker_->publish(events, options_.exchange, deadline);
      std::vector<Poco::Int64> sent;
      std::vector<Poco::Int64> failed;
      for (std::size_t i = 0; i < events.size(); ++i) {
        (outcome.confirmed[i] ? sent : failed).push_back(events[i].seq);
      }
      if (!outcome.error.empty()) {
        failure = std::to_string(failed.size()) + " of " + std::to_string(events.size()) +
                  " events not published to RabbitMQ at " + displayUrl_ + ": " + outcome.error;
      }
      if (!sent.empty()) markSent(session, dialect, sent);
      if (!failed.empty()) markFailed(session, dialect, failed, failure);
      dialect.commit(session);
      sentCount = static_cast<int>(sent.size());
    } catch (...) {
      try {
        dialect.rollback(session);
      } catch (...) {
        // The connection is probably gone; translateDatabaseError below retires it.
      }
      throw;
    }
  } catch (const std::exception& e) {
    return storage::translateDatabaseError(e, connection, "");
  }
  if (!failure.empty()) {
    noteOutage(failure);
    return Error::unavailable(failure);
  }
  return sentCount;
}

void OutboxRelay::recordFailureOnNextBatch(const std::string& reason) {
  auto connection = database_.acquire();
  if (!connection) return;  // the database is down too; nothing to record
  const storage::Dialect& dialect = connection->dialect();
  Poco::Data::Session& session = connection->session();
  try {
    dialect.begin(session);
    try {
      std::vector<Poco::Int64> seqs;
      for (const OutboxEvent& event : claimBatch(session, dialect, options_.batchSize)) seqs.push_back(event.seq);
      if (!seqs.empty()) markFailed(session, dialect, seqs, reason);
      dialect.commit(session);
    } catch (...) {
      try {
        dialect.rollback(session);
      } catch (...) {
      }
      throw;
    }
  } catch (const std::exception& e) {
    // Best effort: the caller reports the broker failure, which is what matters.
    (void)storage::translateDatabaseError(e, *connection, "");
  }
}

void OutboxRelay::noteOutage(const std::string& reason) {
  // Once per outage: the periodic task calls every few hundred milliseconds.
  if (outageLogged_) return;
  outageLogged_ = true;
  logging::warn("outbox relay cannot publish; events stay in the outbox", {{"error", reason}});
}

void OutboxRelay::noteRecovery() {
  if (!outageLogged_) return;
  outageLogged_ = false;
  logging::info("outbox relay publishing again", {{"broker", displayUrl_}});
}

// ---------------------------------------------------------------------------- message body

std::string outboxMessageBody(const OutboxEvent& event) {
  std::string body;
  body.reserve(128 + event.data.size());
  body += "{\"id\":";
  appendJsonString(body, event.id);
  body += ",\"type\":";
  appendJsonString(body, event.eventType);
  body += ",\"organization_id\":";
  appendJsonString(body, event.organizationId);
  body += ",\"occurred_at\":";
  const Poco::Timestamp occurred(static_cast<Poco::Timestamp::TimeVal>(event.occurredAtMs) * 1000);
  appendJsonString(body, Poco::DateTimeFormatter::format(occurred, "%Y-%m-%dT%H:%M:%S.%iZ"));
  body += ",\"data\":";
  const bool blank = event.data.find_first_not_of(" \t\r\n") == std::string::npos;
  body += blank ? std::string("{}") : event.data;
  body += '}';
  return body;
}

}  // namespace ordersvc::integrations
