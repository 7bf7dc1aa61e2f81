#include "platform/integrations/redis_probe.h"

#include <Poco/Exception.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>

#include "platform/config/settings.h"
#include "platform/integrations/redis_connection.h"

namespace ordersvc::integrations {

ProbeResult RedisProbe::check(std::chrono::milliseconds timeout) {
  ProbeResult result;
  if (url_.empty()) return result;
  result.target = config::redactUrl(url_);
  const auto started = std::chrono::steady_clock::now();
  try {
    // Throws std::invalid_argument for rediss:// (no TLS in Poco::Redis): reported, not pretended.
    const auto client = connectRedis(RedisEndpoint::parse(url_), timeout);
    Poco::Redis::Array ping;
    ping << "PING";
    const std::string answer = client->execute<std::string>(ping);
    if (answer != "PONG") throw Poco::Exception("unexpected answer to PING: " + answer);
    result.state = ProbeResult::State::Up;
  } catch (const Poco::Exception& e) {
    result.state = ProbeResult::State::Down;
    result.detail = e.displayText();
  } catch (const std::exception& e) {
    result.state = ProbeResult::State::Down;
    result.detail = e.what();
  }
  result.latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  return result;
}

}  // namespace ordersvc::integrations
