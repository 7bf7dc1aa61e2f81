#include "platform/integrations/rabbitmq_probe.h"

#include <sys/time.h>

#include <memory>
#include <vector>

#include <amqp.h>
#include <amqp_tcp_socket.h>

#include "platform/config/settings.h"

namespace ordersvc::integrations {

namespace {

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
        return "server closed connection: " +
               std::string(static_cast<const char*>(close->reply_text.bytes), close->reply_text.len);
      }
      return "server error";
  }
  return "unknown reply";
}

}  // namespace

ProbeResult RabbitMqProbe::check(std::chrono::milliseconds timeout) {
  ProbeResult result;
  if (url_.empty()) return result;
  result.target = config::redactUrl(url_);
  const auto started = std::chrono::steady_clock::now();
  const auto finish = [&](ProbeResult::State state, std::string detail) {
    result.state = state;
    result.detail = std::move(detail);
    result.latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    return result;
  };

  // amqp_parse_url edits its input in place.
  std::vector<char> text(url_.begin(), url_.end());
  text.push_back('\0');
  amqp_connection_info info;
  amqp_default_connection_info(&info);
  if (amqp_parse_url(text.data(), &info) != AMQP_STATUS_OK)
    return finish(ProbeResult::State::Down, "malformed RABBITMQ_URL");
  if (info.ssl) return finish(ProbeResult::State::Down, "amqps:// (TLS) is not supported by the probe");

  std::unique_ptr<amqp_connection_state_t_, void (*)(amqp_connection_state_t)> connection(
      amqp_new_connection(), [](amqp_connection_state_t c) { amqp_destroy_connection(c); });
  amqp_socket_t* socket = amqp_tcp_socket_new(connection.get());
  if (socket == nullptr) return finish(ProbeResult::State::Down, "cannot create socket");
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  const int opened = amqp_socket_open_noblock(socket, info.host, info.port, &tv);
  if (opened != AMQP_STATUS_OK) return finish(ProbeResult::State::Down, amqp_error_string2(opened));
  amqp_set_handshake_timeout(connection.get(), &tv);
  amqp_set_rpc_timeout(connection.get(), &tv);
  const amqp_rpc_reply_t login = amqp_login(connection.get(), info.vhost, 1, AMQP_DEFAULT_FRAME_SIZE, 0,
                                            AMQP_SASL_METHOD_PLAIN, info.user, info.password);
  if (login.reply_type != AMQP_RESPONSE_NORMAL)
    return finish(ProbeResult::State::Down, "login failed: " + replyText(login));
  amqp_channel_open(connection.get(), 1);
  const amqp_rpc_reply_t channel = amqp_get_rpc_reply(connection.get());
  if (channel.reply_type != AMQP_RESPONSE_NORMAL) {
    return finish(ProbeResult::State::Down, "channel open failed: " + replyText(channel));
  }
  amqp_channel_close(connection.get(), 1, AMQP_REPLY_SUCCESS);
  amqp_connection_close(connection.get(), AMQP_REPLY_SUCCESS);
  return finish(ProbeResult::State::Up, "");
}

}  // namespace ordersvc::integrations
