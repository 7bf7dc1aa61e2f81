// The outbox relay against the real RabbitMQ, over SQLite and the real PostgreSQL.
#include "platform/integrations/outbox_relay.h"
#include "app/module_list.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <Poco/Data/RecordSet.h>
#include <Poco/File.h>
#include <gtest/gtest.h>

#include "amqp_test_client.h"
#include "backend_fixture.h"
#include "platform/storage/migrator.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using integrations::OutboxRelay;
using integrations::OutboxRelayOptions;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

// Generous: the machine may be busy. Only failures wait this long, and no test asserts
// on time.
constexpr std::chrono::milliseconds kRelayTimeout{30000};

struct EventSpec {
  std::string id;
  std::string type;
  long long occurredAtMs = 1764085725123;  // 2025-11-25T15:48:45.123Z
  std::string data = R"({"order_id":"ord_1"})";
};

struct OutboxRow {
  std::string id;
  bool sent = false;
  int attempts = 0;
  std::string lastError;
};

void migrate(storage::Database& database) {
  auto migrated = storage::Migrator(database, app::allMigrations()).migrate();
  if (!migrated) throw std::runtime_error(migrated.error().message);
}

// Writes events the way the order code does: plain rows, in one transaction.
void insertEvents(storage::Database& database, const std::vector<EventSpec>& events) {
  auto connection = database.acquire();
  if (!connection) throw std::runtime_error(connection.error().message);
  const storage::Dialect& dialect = connection->dialect();
  dialect.begin(connection->session());
  for (const EventSpec& event : events) {
    std::string id = event.id, org = "org_1", type = event.type, data = event.data;
    Poco::Int64 occurred = event.occurredAtMs;
    connection->session() << dialect.sql(
        "INSERT INTO outbox_events (id, organization_id, event_type, occurred_at_ms, data) "
        "VALUES (?, ?, ?, ?, ?)"),
        use(id), use(org), use(type), use(occurred), use(data), now;
  }
  dialect.commit(connection->session());
}

void markSentForTest(storage::Database& database, const std::string& eventId) {
  auto connection = database.acquire();
  if (!connection) throw std::runtime_error(connection.error().message);
  std::string id = eventId;
  connection->session() << connection->dialect().sql("UPDATE outbox_events SET sent_at_ms = 1 WHERE id = ?"), use(id),
      now;
}

std::vector<OutboxRow> readRows(storage::Database& database) {
  auto connection = database.acquire();
  if (!connection) throw std::runtime_error(connection.error().message);
  Poco::Data::Statement select(connection->session());
  select << "SELECT id, sent_at_ms, attempts, last_error FROM outbox_events ORDER BY seq";
  select.execute();
  Poco::Data::RecordSet rows(select);
  std::vector<OutboxRow> out;
  for (std::size_t i = 0; i < rows.rowCount(); ++i) {
    OutboxRow row;
    row.id = rows.value(0, i).convert<std::string>();
    row.sent = !rows.value(1, i).isEmpty();
    row.attempts = rows.value(2, i).convert<int>();
    row.lastError = rows.value(3, i).isEmpty() ? "" : rows.value(3, i).convert<std::string>();
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<std::string> messageIds(const std::vector<ReceivedMessage>& messages) {
  std::vector<std::string> ids;
  for (const auto& message : messages) ids.push_back(message.messageId);
  return ids;
}

// Each test publishes to an exchange of its own on the shared broker, so tests that
// run at the same time never see each other's messages. queue_ takes "order.#".
class OutboxRelayTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    database_ = openFreshDatabase();
    migrate(*database_);
    amqpUrl_ = requiredEnv("ORDERSVC_TEST_AMQP_URL");
    exchange_ = uniqueAmqpName("relay_test_exchange");
    queue_ = uniqueAmqpName("relay_test_orders");
    client_ = std::make_unique<AmqpTestClient>(amqpUrl_);
    client_->declareTopicExchange(exchange_);
    client_->declareQueue(queue_);
    client_->bind(queue_, exchange_, "order.#");
  }

  void TearDown() override {
    if (!client_) return;
    for (const auto& queue : extraQueues_) client_->deleteQueue(queue);
    client_->deleteQueue(queue_);
    client_->deleteExchange(exchange_);
  }

  OutboxRelayOptions options(int batchSize = 200) const { return {amqpUrl_, exchange_, batchSize, kRelayTimeout}; }

  std::string extraQueue(const std::string& bindingKey, int rejectPublishOver = 0) {
    extraQueues_.push_back(uniqueAmqpName("relay_test_extra"));
    client_->declareQueue(extraQueues_.back(), rejectPublishOver);
    client_->bind(extraQueues_.back(), exchange_, bindingKey);
    return extraQueues_.back();
  }

  std::unique_ptr<storage::Database> database_;
  std::string amqpUrl_;
  std::string exchange_;
  std::string queue_;
  std::vector<std::string> extraQueues_;
  std::unique_ptr<AmqpTestClient> client_;
};

TEST_P(OutboxRelayTest, PublishesUnsentEventsOldestFirstAndMarksThemSent) {
  // Ids sort differently from seq, so the order seen proves "by seq".
  insertEvents(*database_, {{"evt_3", "order.created", 1764085725123, R"({"order_id":"ord_1","total":"10.00"})"},
                            {"evt_1", "order.paid", 1764085726000, R"({"order_id":"ord_1"})"},
                            {"evt_2", "order.shipped", 1764085727005, R"({"order_id":"ord_1","carrier":"local"})"}});
  OutboxRelay relay(*database_, options());

  auto sent = relay.relayOnce();
  ASSERT_TRUE(sent) << sent.error().toString();
  EXPECT_EQ(*sent, 3);

  const auto messages = client_->drain(queue_);
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messageIds(messages), (std::vector<std::string>{"evt_3", "evt_1", "evt_2"}));
  EXPECT_EQ(messages[0].body,
            R"({"id":"evt_3","type":"order.created","organization_id":"org_1",)"
            R"("occurred_at":"2025-11-25T15:48:45.123Z","data":{"order_id":"ord_1","total":"10.00"}})");
  EXPECT_EQ(messages[2].body,
            R"({"id":"evt_2","type":"order.shipped","organization_id":"org_1",)"
            R"("occurred_at":"2025-11-25T15:48:47.005Z","data":{"order_id":"ord_1","carrier":"local"}})");
  const std::vector<std::string> types{"order.created", "order.paid", "order.shipped"};
  for (std::size_t i = 0; i < messages.size(); ++i) {
    SCOPED_TRACE(messages[i].messageId);
    EXPECT_EQ(messages[i].exchange, exchange_);
    EXPECT_EQ(messages[i].routingKey, types[i]);
    EXPECT_EQ(messages[i].type, types[i]);
    EXPECT_EQ(messages[i].contentType, "application/json");
    EXPECT_EQ(messages[i].deliveryMode, 2);  // persistent
    EXPECT_FALSE(messages[i].redelivered);
  }
  EXPECT_EQ(messages[0].timestamp, 1764085725u);
  EXPECT_EQ(messages[1].timestamp, 1764085726u);

  for (const auto& row : readRows(*database_)) {
    SCOPED_TRACE(row.id);
    EXPECT_TRUE(row.sent);
    EXPECT_EQ(row.attempts, 1);
    EXPECT_EQ(row.lastError, "");
  }

  auto again = relay.relayOnce();
  ASSERT_TRUE(again) << again.error().toString();
  EXPECT_EQ(*again, 0);
  EXPECT_TRUE(client_->drain(queue_).empty());
}

TEST_P(OutboxRelayTest, RoutingKeyIsTheEventType) {
  const std::string paidOnly = extraQueue("order.paid");
  const std::string everything = extraQueue("#");
  insertEvents(*database_, {{"evt_1", "order.created"}, {"evt_2", "order.paid"}, {"evt_3", "payment.refunded"}});
  OutboxRelay relay(*database_, options());

  auto sent = relay.relayOnce();
  ASSERT_TRUE(sent) << sent.error().toString();
  EXPECT_EQ(*sent, 3);
  EXPECT_EQ(messageIds(client_->drain(paidOnly)), (std::vector<std::string>{"evt_2"}));
  EXPECT_EQ(messageIds(client_->drain(queue_)), (std::vector<std::string>{"evt_1", "evt_2"}));
  EXPECT_EQ(messageIds(client_->drain(everything)), (std::vector<std::string>{"evt_1", "evt_2", "evt_3"}));
}

TEST_P(OutboxRelayTest, SendsAtMostOneBatchPerCallAndNeverWhatWasSent) {
  insertEvents(*database_, {{"evt_1", "order.created"},
                            {"evt_2", "order.created"},
                            {"evt_3", "order.created"},
                            {"evt_4", "order.created"},
                            {"evt_5", "order.created"},
                            {"evt_6", "order.created"}});
  markSentForTest(*database_, "evt_2");  // relayed earlier
  OutboxRelay relay(*database_, options(2));

  std::vector<int> counts;
  for (int i = 0; i < 4; ++i) {
    auto sent = relay.relayOnce();
    ASSERT_TRUE(sent) << sent.error().toString();
    counts.push_back(*sent);
  }
  EXPECT_EQ(counts, (std::vector<int>{2, 2, 1, 0}));
  EXPECT_EQ(messageIds(client_->drain(queue_)),
            (std::vector<std::string>{"evt_1", "evt_3", "evt_4", "evt_5", "evt_6"}));
}

TEST_P(OutboxRelayTest, NackedEventsStayUnsentAndGoOutLater) {
  // Holds one message; the broker nacks publishes beyond that (reject-publish).
  const std::string tiny = extraQueue("stock.limited", 1);
  insertEvents(*database_, {{"evt_1", "stock.limited"}, {"evt_2", "stock.limited"}, {"evt_3", "stock.limited"}});
  OutboxRelay relay(*database_, options());

  auto first = relay.relayOnce();
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::Unavailable);
  EXPECT_NE(first.error().message.find("nack"), std::string::npos) << first.error().message;
  auto rows = readRows(*database_);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[0].sent);
  for (int i : {1, 2}) {
    SCOPED_TRACE(rows[i].id);
    EXPECT_FALSE(rows[i].sent);
    EXPECT_EQ(rows[i].attempts, 1);
    EXPECT_NE(rows[i].lastError.find("nack"), std::string::npos) << rows[i].lastError;
  }
  EXPECT_EQ(messageIds(client_->drain(tiny)), (std::vector<std::string>{"evt_1"}));

  auto second = relay.relayOnce();  // room for one again: evt_2 goes, evt_3 is nacked
  ASSERT_FALSE(second);
  EXPECT_EQ(messageIds(client_->drain(tiny)), (std::vector<std::string>{"evt_2"}));
  auto third = relay.relayOnce();
  ASSERT_TRUE(third) << third.error().toString();
  EXPECT_EQ(*third, 1);
  EXPECT_EQ(messageIds(client_->drain(tiny)), (std::vector<std::string>{"evt_3"}));

  rows = readRows(*database_);
  EXPECT_TRUE(std::all_of(rows.begin(), rows.end(), [](const OutboxRow& row) { return row.sent; }));
  EXPECT_EQ(rows[2].attempts, 3);
}

TEST_P(OutboxRelayTest, PasswordNeverAppearsInErrorsOrLastError) {
  insertEvents(*database_, {{"evt_1", "order.created"}});
  const std::string secret = "Wr0ng-S3cret";
  std::string badUrl = amqpUrl_;
  badUrl.replace(badUrl.find(":guest@"), 7, ":" + secret + "@");
  OutboxRelayOptions badOptions = options();
  badOptions.amqpUrl = badUrl;
  OutboxRelay relay(*database_, badOptions);

  auto result = relay.relayOnce();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::Unavailable);
  EXPECT_EQ(result.error().message.find(secret), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("********"), std::string::npos) << result.error().message;
  const auto rows = readRows(*database_);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].sent);
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_NE(rows[0].lastError, "");
  EXPECT_EQ(rows[0].lastError.find(secret), std::string::npos) << rows[0].lastError;
}

TEST_P(OutboxRelayTest, MalformedUrlIsInvalidArgument) {
  OutboxRelayOptions bad = options();
  bad.amqpUrl = "rabbit://nowhere";
  OutboxRelay relay(*database_, bad);
  auto result = relay.relayOnce();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::InvalidArgument);
}

// A broker of this test's own (servers.sh start-rabbitmq), so stopping it disturbs no
// test running beside this one on the shared broker. Restarted in the same directory it
// keeps its port, credentials and durable data. Stopped and removed on every exit path.
class PrivateRabbitMq {
 public:
  PrivateRabbitMq()
      : dir_(makeTempDir("ordersvc_relay_rabbitmq")), script_(requiredEnv("ORDERSVC_TEST_SERVERS_SCRIPT")) {
    url_ = run("start-rabbitmq");
  }
  ~PrivateRabbitMq() {
    runCommand(script_ + " stop-rabbitmq " + dir_);
    try {
      Poco::File(dir_).remove(true);
    } catch (...) {
      // A leftover temp directory is harmless.
    }
  }
  PrivateRabbitMq(const PrivateRabbitMq&) = delete;
  PrivateRabbitMq& operator=(const PrivateRabbitMq&) = delete;

  const std::string& url() const { return url_; }
  void stop() { run("stop-rabbitmq"); }
  void start() {
    const std::string again = run("start-rabbitmq");
    if (again != url_) throw std::runtime_error("broker came back at " + again + " instead of " + url_);
  }

 private:
  std::string run(const std::string& verb) {
    const auto result = runCommand(script_ + " " + verb + " " + dir_);
    if (result.exitCode != 0) throw std::runtime_error(verb + " failed: " + result.output);
    // The URL is the last line; servers.sh logs to stderr, which runCommand merges.
    std::string out = result.output;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out.substr(out.find_last_of('\n') + 1);
  }
  std::string dir_;
  std::string script_;
  std::string url_;
};

TEST_P(OutboxRelayTest, BrokerOutageKeepsEventsThenDeliversEachOnceAfterRestart) {
  PrivateRabbitMq broker;
  const std::string queue = uniqueAmqpName("relay_test_durable");
  {
    AmqpTestClient client(broker.url());
    client.declareTopicExchange(exchange_);
    client.declareQueue(queue);  // durable: survives the restart with its messages
    client.bind(queue, exchange_, "#");
  }
  OutboxRelayOptions relayOptions = options();
  relayOptions.amqpUrl = broker.url();
  OutboxRelay relay(*database_, relayOptions);
  insertEvents(*database_, {{"evt_0", "order.created"}});
  auto before = relay.relayOnce();  // leaves the relay's connection open
  ASSERT_TRUE(before) << before.error().toString();
  ASSERT_EQ(*before, 1);

  broker.stop();
  insertEvents(*database_, {{"evt_1", "order.created"}, {"evt_2", "order.paid"}, {"evt_3", "order.shipped"}});
  for (int attempt = 1; attempt <= 2; ++attempt) {
    SCOPED_TRACE(attempt);
    auto down = relay.relayOnce();
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().code, ErrorCode::Unavailable) << down.error().message;
    const auto rows = readRows(*database_);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_TRUE(rows[0].sent);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      SCOPED_TRACE(rows[i].id);
      EXPECT_FALSE(rows[i].sent);
      EXPECT_EQ(rows[i].attempts, attempt);
      EXPECT_NE(rows[i].lastError, "");
    }
  }

  broker.start();
  auto after = relay.relayOnce();
  ASSERT_TRUE(after) << after.error().toString();
  EXPECT_EQ(*after, 3);
  auto idle = relay.relayOnce();
  ASSERT_TRUE(idle) << idle.error().toString();
  EXPECT_EQ(*idle, 0);

  AmqpTestClient client(broker.url());
  const auto messages = client.drain(queue);
  // evt_0 was persisted before the stop; the others arrive once each, in order.
  EXPECT_EQ(messageIds(messages), (std::vector<std::string>{"evt_0", "evt_1", "evt_2", "evt_3"}));
  for (const auto& message : messages) EXPECT_EQ(message.deliveryMode, 2);
  for (const auto& row : readRows(*database_)) EXPECT_TRUE(row.sent) << row.id;
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxRelayTest, ::testing::Values("sqlite", "postgresql"), backendName);

// Two service processes on one PostgreSQL: two relays, each with its own pool, claim
// batches concurrently (FOR UPDATE SKIP LOCKED). Every event goes out, none twice.
TEST(OutboxRelayPostgresTest, TwoRelaysDeliverEveryEventExactlyOnce) {
  constexpr int kEvents = 500;
  const std::string url = createPostgresDatabase("ordersvc_relay");
  const auto open = [&] {
    auto parsed = storage::DatabaseUrl::parse(url, 5);
    if (!parsed) throw std::runtime_error(parsed.error().message);
    return std::make_unique<storage::Database>(*parsed,
                                               storage::DatabaseOptions{4, 0, std::chrono::milliseconds(10000)});
  };
  auto first = open();
  auto second = open();
  migrate(*first);
  std::vector<EventSpec> events;
  std::set<std::string> expected;
  for (int i = 0; i < kEvents; ++i) {
    events.push_back({"evt_" + std::to_string(i), i % 2 == 0 ? "order.created" : "order.paid"});
    expected.insert(events.back().id);
  }
  insertEvents(*first, events);

  const std::string amqpUrl = requiredEnv("ORDERSVC_TEST_AMQP_URL");
  const std::string exchange = uniqueAmqpName("relay_test_exchange");
  const std::string queue = uniqueAmqpName("relay_test_all");
  AmqpTestClient client(amqpUrl);
  client.declareTopicExchange(exchange);
  client.declareQueue(queue);
  client.bind(queue, exchange, "#");

  // Small batches, so the two relays take turns many times.
  OutboxRelay relayA(*first, {amqpUrl, exchange, 20, kRelayTimeout});
  OutboxRelay relayB(*second, {amqpUrl, exchange, 20, kRelayTimeout});
  std::atomic<int> total{0};
  std::mutex errorsMutex;
  std::vector<std::string> errors;
  const auto drainOutbox = [&](OutboxRelay& relay) {
    while (true) {
      auto sent = relay.relayOnce();
      if (!sent) {
        std::lock_guard lock(errorsMutex);
        errors.push_back(sent.error().toString());
        return;
      }
      if (*sent == 0) return;  // nothing left that the other relay has not claimed
      total += *sent;
    }
  };
  std::thread a(drainOutbox, std::ref(relayA));
  std::thread b(drainOutbox, std::ref(relayB));
  a.join();
  b.join();

  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(total.load(), kEvents);
  const auto rows = readRows(*first);
  EXPECT_EQ(std::count_if(rows.begin(), rows.end(), [](const OutboxRow& row) { return !row.sent; }), 0);
  EXPECT_TRUE(std::all_of(rows.begin(), rows.end(), [](const OutboxRow& row) { return row.attempts == 1; }));

  const auto ids = messageIds(client.drain(queue));
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kEvents));
  const std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size()) << "some event was delivered twice";
  EXPECT_EQ(unique, expected);
  client.deleteQueue(queue);
  client.deleteExchange(exchange);
}

}  // namespace
}  // namespace ordersvc::testing
