#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <Poco/Redis/Type.h>

namespace ordersvc::integrations {

// Where and how to reach Redis, as a redis:// URL names it:
// redis://[[user]:password@]host[:port][/db]. The password is AUTHed when present (with
// the user for a Redis 6 ACL user), the database SELECTed when the path names one.
struct RedisEndpoint {
  std::string host;
  int port = 6379;
  std::string user;      // empty: the default user
  std::string password;  // empty: no AUTH
  std::string database;  // empty: database 0, no SELECT

  // Parses `url`. Throws std::invalid_argument for an unparsable URL, a scheme other
  // than redis, or rediss:// (Poco::Redis has no TLS; refusing beats a plaintext connection).
  static RedisEndpoint parse(const std::string& url);
};

// Opens a connection to `endpoint`: connect within `timeout`, the same `timeout` for each
// reply read later, then AUTH and SELECT as the endpoint asks. The caller owns the client.
// Throws Poco::Exception (refused, timed out, AUTH or SELECT rejected).
std::unique_ptr<Poco::Redis::Client> connectRedis(const RedisEndpoint& endpoint, std::chrono::milliseconds timeout);

// A server error reply ("-ERR ...", "-NOSCRIPT ..."). The reply was read completely, so
// the connection stays usable; anything else thrown by redisCall leaves it unusable.
class RedisReplyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Sends one command and reads its reply. A server error reply throws RedisReplyError;
// I/O problems (closed, reset, timed out) throw Poco::Exception.
// Arguments must be strings: Poco::Redis sends other types in their reply encoding.
Poco::Redis::RedisType::Ptr redisCall(Poco::Redis::Client& client, const Poco::Redis::Array& command);

}  // namespace ordersvc::integrations
