#include "amqp_test_client.h"

#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <stdexcept>

#include <amqp_tcp_socket.h>

namespace ordersvc::testing {

namespace {

constexpr amqp_channel_t kChannel = 1;

amqp_bytes_t bytesOf(const std::string& text) {
  return amqp_bytes_t{text.size(), const_cast<char*>(text.data())};
}

std::string textOf(const amqp_bytes_t& bytes) {
  return bytes.bytes == nullptr ? std::string() : std::string(static_cast<const char*>(bytes.bytes), bytes.len);
}

std::string replyText(const amqp_rpc_reply_t& reply) {
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) return amqp_error_string2(reply.library_error);
  if (reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION) {
    if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
      return "channel closed: " + textOf(static_cast<amqp_channel_close_t*>(reply.reply.decoded)->reply_text);
    }
    if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
      return "connection closed: " + textOf(static_cast<amqp_connection_close_t*>(reply.reply.decoded)->reply_text);
    }
    return "server exception";
  }
  return "no reply";
}

}  // namespace

std::string uniqueAmqpName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::random_device random;
  return prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(random() % 100000);
}

AmqpTestClient::AmqpTestClient(const std::string& url) : connection_(amqp_new_connection()) {
  std::vector<char> text(url.begin(), url.end());
  text.push_back('\0');
  amqp_connection_info info;
  amqp_default_connection_info(&info);
  if (amqp_parse_url(text.data(), &info) != AMQP_STATUS_OK) {
    amqp_destroy_connection(connection_);
    throw std::runtime_error("malformed AMQP URL");
  }
  amqp_socket_t* socket = amqp_tcp_socket_new(connection_);
  timeval tv{30, 0};
  const int opened =
      socket == nullptr ? AMQP_STATUS_SOCKET_ERROR : amqp_socket_open_noblock(socket, info.host, info.port, &tv);
  if (opened != AMQP_STATUS_OK) {
    amqp_destroy_connection(connection_);
    throw std::runtime_error(std::string("test client cannot connect: ") + amqp_error_string2(opened));
  }
  amqp_set_rpc_timeout(connection_, &tv);
  const amqp_rpc_reply_t login = amqp_login(connection_, info.vhost, 1, AMQP_DEFAULT_FRAME_SIZE, 0,
                                            AMQP_SASL_METHOD_PLAIN, info.user, info.password);
  if (login.reply_type != AMQP_RESPONSE_NORMAL) {
    amqp_destroy_connection(connection_);
    throw std::runtime_error("test client login failed: " + replyText(login));
  }
  amqp_channel_open(connection_, kChannel);
  const amqp_rpc_reply_t opened_channel = amqp_get_rpc_reply(connection_);
  if (opened_channel.reply_type != AMQP_RESPONSE_NORMAL) {
    amqp_destroy_connection(connection_);
    throw std::runtime_error("test client channel open failed: " + replyText(opened_channel));
  }
}

AmqpTestClient::~AmqpTestClient() {
  amqp_channel_close(connection_, kChannel, AMQP_REPLY_SUCCESS);
  amqp_connection_close(connection_, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(connection_);
}

void AmqpTestClient::check(const char* what) {
  const amqp_rpc_reply_t reply = amqp_get_rpc_reply(connection_);
  if (reply.reply_type != AMQP_RESPONSE_NORMAL) throw std::runtime_error(std::string(what) + ": " + replyText(reply));
}

void AmqpTestClient::declareTopicExchange(const std::string& exchange) {
  amqp_exchange_declare(connection_, kChannel, bytesOf(exchange), amqp_cstring_bytes("topic"), 0, 1, 0, 0,
                        amqp_empty_table);
  check("exchange.declare");
}

void AmqpTestClient::deleteExchange(const std::string& exchange) {
  amqp_exchange_delete(connection_, kChannel, bytesOf(exchange), 0);
  check("exchange.delete");
}

void AmqpTestClient::declareQueue(const std::string& queue, int rejectPublishOver) {
  amqp_table_entry_t entries[2];
  amqp_table_t arguments = amqp_empty_table;
  if (rejectPublishOver > 0) {
    entries[0].key = amqp_cstring_bytes("x-max-length");
    entries[0].value.kind = AMQP_FIELD_KIND_I32;
    entries[0].value.value.i32 = rejectPublishOver;
    entries[1].key = amqp_cstring_bytes("x-overflow");
    entries[1].value.kind = AMQP_FIELD_KIND_UTF8;
    entries[1].value.value.bytes = amqp_cstring_bytes("reject-publish");
    arguments.num_entries = 2;
    arguments.entries = entries;
  }
  amqp_queue_declare(connection_, kChannel, bytesOf(queue), 0, 1, 0, 0, arguments);
  check("queue.declare");
}

void AmqpTestClient::bind(const std::string& queue, const std::string& exchange, const std::string& bindingKey) {
  amqp_queue_bind(connection_, kChannel, bytesOf(queue), bytesOf(exchange), bytesOf(bindingKey), amqp_empty_table);
  check("queue.bind");
}

void AmqpTestClient::deleteQueue(const std::string& queue) {
  amqp_queue_delete(connection_, kChannel, bytesOf(queue), 0, 0);
  check("queue.delete");
}

std::vector<ReceivedMessage> AmqpTestClient::drain(const std::string& queue) {
  std::vector<ReceivedMessage> out;
  while (true) {
    amqp_maybe_release_buffers(connection_);
    const amqp_rpc_reply_t reply = amqp_basic_get(connection_, kChannel, bytesOf(queue), 1);
    if (reply.reply_type != AMQP_RESPONSE_NORMAL) throw std::runtime_error("basic.get: " + replyText(reply));
    if (reply.reply.id == AMQP_BASIC_GET_EMPTY_METHOD) break;
    const auto* got = static_cast<amqp_basic_get_ok_t*>(reply.reply.decoded);
    ReceivedMessage received;
    received.exchange = textOf(got->exchange);
    received.routingKey = textOf(got->routing_key);
    received.redelivered = got->redelivered != 0;
    amqp_message_t message;
    const amqp_rpc_reply_t read = amqp_read_message(connection_, kChannel, &message, 0);
    if (read.reply_type != AMQP_RESPONSE_NORMAL) throw std::runtime_error("reading a message: " + replyText(read));
    const amqp_basic_properties_t& p = message.properties;
    received.body = textOf(message.body);
    if (p._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) received.contentType = textOf(p.content_type);
    if (p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) received.messageId = textOf(p.message_id);
    if (p._flags & AMQP_BASIC_TYPE_FLAG) received.type = textOf(p.type);
    if (p._flags & AMQP_BASIC_DELIVERY_MODE_FLAG) received.deliveryMode = p.delivery_mode;
    if (p._flags & AMQP_BASIC_TIMESTAMP_FLAG) received.timestamp = p.timestamp;
    amqp_destroy_message(&message);
    out.push_back(std::move(received));
  }
  return out;
}

}  // namespace ordersvc::testing
