#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <amqp.h>

namespace ordersvc::testing {

// One message as a consumer sees it.
struct ReceivedMessage {
  std::string exchange;
  std::string routingKey;
  std::string body;
  std::string contentType;
  std::string messageId;
  std::string type;
  int deliveryMode = 0;         // 0 when the property is absent
  std::uint64_t timestamp = 0;  // 0 when the property is absent
  bool redelivered = false;
};

// A plain rabbitmq-c client for the tests: declares what a consumer would, and reads
// queues with basic.get, so a test sees exactly what is enqueued at that moment
// without waiting. Every failure throws std::runtime_error.
//
// Thread-safety: one thread at a time.
class AmqpTestClient {
 public:
  explicit AmqpTestClient(const std::string& url);
  ~AmqpTestClient();
  AmqpTestClient(const AmqpTestClient&) = delete;
  AmqpTestClient& operator=(const AmqpTestClient&) = delete;

  // A durable topic exchange, declared exactly as the relay declares it.
  void declareTopicExchange(const std::string& exchange);
  void deleteExchange(const std::string& exchange);

  // A durable, non-exclusive queue (it survives a broker restart). `rejectPublishOver`
  // > 0 caps its length with x-overflow=reject-publish, so the broker nacks further
  // publishes.
  void declareQueue(const std::string& queue, int rejectPublishOver = 0);
  void bind(const std::string& queue, const std::string& exchange, const std::string& bindingKey);
  void deleteQueue(const std::string& queue);

  // Takes every message in `queue` (auto-ack), oldest first, until it is empty.
  std::vector<ReceivedMessage> drain(const std::string& queue);

 private:
  void check(const char* what);
  amqp_connection_state_t connection_;
};

// A name no other test process uses ("<prefix>_<pid>_<n>_<random>").
std::string uniqueAmqpName(const std::string& prefix);

}  // namespace ordersvc::testing
