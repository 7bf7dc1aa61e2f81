// Order events end to end through RabbitMQ: ordersvc relays its outbox to a private
// broker (servers.sh start-rabbitmq, so stopping it disturbs no other test). A checkout
// and a cash payment made while the broker is down succeed, and once it is back every
// event arrives exactly once, with the event type as routing key. On SQLite and
// PostgreSQL, whose outbox queries differ.
#include <map>

#include <Poco/File.h>
#include <gtest/gtest.h>

#include "amqp_test_client.h"
#include "commerce_test_support.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;

constexpr const char* kExchange = "order_events";  // RABBITMQ_EXCHANGE's default

// A broker of this test's own. Restarted in the same directory it keeps its port,
// credentials and durable queues. Stopped and removed on every exit path.
class PrivateBroker {
 public:
  PrivateBroker()
      : dir_(makeTempDir("ordersvc_commerce_rabbitmq")), script_(requiredEnv("ORDERSVC_TEST_SERVERS_SCRIPT")) {
    url_ = run("start-rabbitmq");
  }
  ~PrivateBroker() {
    runCommand("bash " + script_ + " stop-rabbitmq " + dir_);
    try {
      Poco::File(dir_).remove(true);
    } catch (...) {
      // A leftover temp directory is harmless.
    }
  }
  PrivateBroker(const PrivateBroker&) = delete;
  PrivateBroker& operator=(const PrivateBroker&) = delete;

  const std::string& url() const { return url_; }
  void stop() { run("stop-rabbitmq"); }
  void start() {
    const std::string again = run("start-rabbitmq");
    if (again != url_) throw std::runtime_error("broker came back at " + again + " instead of " + url_);
  }

 private:
  std::string run(const std::string& verb) {
    const auto result = runCommand("bash " + script_ + " " + verb + " " + dir_);
    if (result.exitCode != 0) throw std::runtime_error("servers.sh " + verb + " failed: " + result.output);
    // The URL is the last line; servers.sh logs to stderr, which runCommand merges.
    std::string out = result.output;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out.substr(out.find_last_of('\n') + 1);
  }
  std::string dir_;
  std::string script_;
  std::string url_;
};

class CommerceEventsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CommerceEventsTest, EventsOfAnOutageArriveOnceEachAfterTheBrokerReturns) {
  PrivateBroker broker;
  const std::string queue = uniqueAmqpName("commerce_events");
  {
    AmqpTestClient client(broker.url());
    client.declareTopicExchange(kExchange);
    client.declareQueue(queue);  // durable: it outlives the broker's restart
    client.bind(queue, kExchange, "#");
  }
  const std::string workDir = makeTempDir("ordersvc_commerce_events");
  std::string databaseUrl;
  auto env = demoServiceEnv(GetParam(), workDir, databaseUrl);
  env["RABBITMQ_URL"] = broker.url();
  env["OUTBOX_RELAY_INTERVAL_MS"] = "100";
  auto service = startService(env, workDir);
  const int port = service->httpPort();

  broker.stop();
  const Caller a1 = customer("a1");
  const std::string order = placeOrder(port, a1, "v_tee_m", 2);
  const auto paid = payCash(port, a1, order);
  ASSERT_EQ(paid->getValue<std::string>("status"), "confirmed");

  // The outbox as the API shows it; `published` turns true once the broker confirmed.
  const Caller manager = managerOf("am");
  auto outbox = [&] {
    std::map<std::string, bool> published;  // event id -> published
    const auto r = send(port, manager, "GET", "/api/v1/events?limit=500");
    if (r.status != 200) return published;
    auto events = parseObject(r.body)->getObject("data")->getArray("events");
    for (std::size_t i = 0; i < events->size(); ++i) {
      auto event = events->getObject(static_cast<unsigned>(i));
      published[event->getValue<std::string>("id")] = event->getValue<bool>("published");
    }
    return published;
  };
  const auto heldBack = outbox();
  ASSERT_GE(heldBack.size(), 3u);
  for (const auto& [id, sent] : heldBack) EXPECT_FALSE(sent) << id << " published while the broker was down";

  broker.start();
  std::vector<ReceivedMessage> received;
  auto drainInto = [&] {
    try {
      AmqpTestClient client(broker.url());
      for (auto& message : client.drain(queue)) received.push_back(std::move(message));
      return true;
    } catch (const std::exception&) {
      return false;  // the broker is still starting
    }
  };
  const bool allPublished = waitUntil([&] {
    drainInto();
    const auto now = outbox();
    for (const auto& [id, sent] : now) {
      if (!sent) return false;
    }
    return !now.empty();
  });
  ASSERT_TRUE(allPublished) << "the relay did not publish the outbox after the broker returned";
  // Once confirmed nothing is sent again: whatever is still queued arrives by now.
  ASSERT_TRUE(drainInto());

  std::map<std::string, int> byId;
  std::map<std::string, int> byType;
  for (const auto& message : received) {
    ++byId[message.messageId];
    ++byType[message.type];
    EXPECT_EQ(message.routingKey, message.type) << message.body;
    EXPECT_EQ(message.exchange, kExchange);
    EXPECT_NE(message.body.find(order), std::string::npos) << message.body;
  }
  for (const auto& [id, count] : byId) EXPECT_EQ(count, 1) << id << " arrived " << count << " times";
  // Exactly the outbox: every event once, nothing else.
  const auto final = outbox();
  EXPECT_EQ(byId.size(), final.size());
  for (const auto& [id, sent] : final) EXPECT_EQ(byId.count(id), 1u) << id << " never arrived";
  for (const char* type : {"order.created", "payment.succeeded", "order.confirmed"}) {
    EXPECT_EQ(byType[type], 1) << type;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CommerceEventsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ordersvc::testing
