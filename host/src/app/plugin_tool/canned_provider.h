#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Poco/ThreadPool.h>

namespace Poco::Net {
class HTTPServer;
}

namespace ordersvc::tools {

// The conformance kit's stand-in for a provider: a loopback HTTP server answering the
// canned replies of a plugin's conformance.json ("http": [...]), so operations that go
// to the network run during `ordersvc-plugin check` without reaching anyone. The first
// reply whose method matches and whose path_prefix starts the request path answers;
// anything else is 404.
class CannedProvider {
 public:
  struct Reply {
    std::string method;
    std::string pathPrefix;
    int status = 200;
    std::string body;  // JSON text
  };

  explicit CannedProvider(std::vector<Reply> replies);
  ~CannedProvider();
  CannedProvider(const CannedProvider&) = delete;
  CannedProvider& operator=(const CannedProvider&) = delete;

  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const Reply* match(const std::string& method, const std::string& path) const;

 private:
  std::vector<Reply> replies_;
  int port_ = 0;
  Poco::ThreadPool threads_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace ordersvc::tools
