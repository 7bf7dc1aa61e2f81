#include "integrations/redis_probe.h"

#include <Poco/Exception.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Command.h>
#include <Poco/URI.h>

#include "config/settings.h"

namespace ordersvc::integrations {

ProbeResult RedisProbe::check(std::chrono::milliseconds timeout) {
  ProbeResult result;
  if (url_.empty()) return result;
  result.target = config::redactUrl(url_);
  const auto started = std::chrono::steady_clock::now();
  try {
    const Poco::URI uri(url_);
    if (uri.getScheme() == "rediss") {
      // Poco::Redis has no TLS; report it rather than pretend.
      result.state = ProbeResult::State::Down;
      result.detail = "rediss:// (TLS) is not supported by the probe";
      return result;
    }
    const Poco::Timespan span(static_cast<long>(timeout.count() / 1000), static_cast<long>((timeout.count() % 1000) * 1000));
    Poco::Redis::Client client;
    client.connect(Poco::Net::SocketAddress(uri.getHost(), uri.getPort() ? uri.getPort() : 6379), span);
    client.setReceiveTimeout(span);
    std::string userInfo;
    Poco::URI::decode(uri.getUserInfo(), userInfo);
    const auto colon = userInfo.find(':');
    if (colon != std::string::npos && colon + 1 < userInfo.size()) {
      Poco::Redis::Command auth("AUTH");
      if (colon > 0) auth << userInfo.substr(0, colon);  // Redis 6 ACL user
      auth << userInfo.substr(colon + 1);
      client.execute<std::string>(auth);
    }
    if (uri.getPath().size() > 1) {
      Poco::Redis::Command select("SELECT");
      select << uri.getPath().substr(1);
      client.execute<std::string>(select);
    }
    Poco::Redis::Array ping;
    ping << "PING";
    const std::string answer = client.execute<std::string>(ping);
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
