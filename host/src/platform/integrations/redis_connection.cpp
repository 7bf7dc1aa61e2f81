#include "platform/integrations/redis_connection.h"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Redis/Error.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

namespace ordersvc::integrations {

RedisEndpoint RedisEndpoint::parse(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("invalid Redis URL: " + e.displayText());
  }
  if (uri.getScheme() == "rediss") throw std::invalid_argument("rediss:// (TLS) is not supported");
  if (uri.getScheme() != "redis") throw std::invalid_argument("not a redis:// URL");
  if (uri.getHost().empty()) throw std::invalid_argument("the Redis URL names no host");
  RedisEndpoint endpoint;
  endpoint.host = uri.getHost();
  endpoint.port = uri.getPort() ? uri.getPort() : 6379;
  std::string userInfo;
  Poco::URI::decode(uri.getUserInfo(), userInfo);
  const auto colon = userInfo.find(':');
  if (colon != std::string::npos && colon + 1 < userInfo.size()) {
    endpoint.user = userInfo.substr(0, colon);
    endpoint.password = userInfo.substr(colon + 1);
  }
  if (uri.getPath().size() > 1) endpoint.database = uri.getPath().substr(1);
  return endpoint;
}

std::unique_ptr<Poco::Redis::Client> connectRedis(const RedisEndpoint& endpoint, std::chrono::milliseconds timeout) {
  const Poco::Timespan span(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000);
  auto client = std::make_unique<Poco::Redis::Client>();
  client->connect(Poco::Net::SocketAddress(endpoint.host, static_cast<Poco::UInt16>(endpoint.port)), span);
  client->setReceiveTimeout(span);
  if (!endpoint.password.empty()) {
    Poco::Redis::Array auth;
    auth << "AUTH";
    if (!endpoint.user.empty()) auth << endpoint.user;  // Redis 6 ACL user
    auth << endpoint.password;
    client->execute<std::string>(auth);
  }
  if (!endpoint.database.empty()) {
    Poco::Redis::Array select;
    select << "SELECT" << endpoint.database;
    client->execute<std::string>(select);
  }
  return client;
}

Poco::Redis::RedisType::Ptr redisCall(Poco::Redis::Client& client, const Poco::Redis::Array& command) {
  Poco::Redis::RedisType::Ptr reply = client.sendCommand(command);
  if (reply.isNull()) throw Poco::Redis::RedisException("no reply");
  if (reply->isError()) {
    const auto* error = dynamic_cast<const Poco::Redis::Type<Poco::Redis::Error>*>(reply.get());
    throw RedisReplyError(error != nullptr ? error->value().getMessage() : "error reply");
  }
  return reply;
}

}  // namespace ordersvc::integrations
