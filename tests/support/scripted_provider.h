#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/ThreadPool.h>

namespace Poco::Net {
class HTTPServer;
}

namespace ordersvc::testing {

// A provider stand-in on a loopback port for what a mock generated from a spec cannot
// do: answer with the outcome a test needs (a decline, a 500, garbage, a time-out),
// and count exactly what reached "the provider" (one capture, not two). Records every
// request; answers through a handler the test sets (default: 404).
// Thread-safety: any thread.
class ScriptedProvider {
 public:
  struct Request {
    std::string method;
    std::string path;                            // without the query
    std::string query;                           // without '?'
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string header(const std::string& lowerName) const {
      auto it = headers.find(lowerName);
      return it == headers.end() ? "" : it->second;
    }
  };
  struct Reply {
    int status = 200;
    std::string body;
    std::string contentType = "application/json";
    std::chrono::milliseconds delay{0};  // sleep before answering (time-outs)
  };
  using Handler = std::function<Reply(const Request&)>;

  explicit ScriptedProvider(int threads = 16);
  ~ScriptedProvider();
  ScriptedProvider(const ScriptedProvider&) = delete;
  ScriptedProvider& operator=(const ScriptedProvider&) = delete;

  int port() const { return port_; }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void setHandler(Handler handler);
  std::vector<Request> requests() const;
  // Requests whose method is `method` and whose path starts with `pathPrefix`.
  int count(const std::string& method, const std::string& pathPrefix) const;
  void clear();

  // Used by the server's request handler.
  Reply handle(const Request& request);

 private:
  mutable std::mutex mutex_;
  Handler handler_;
  std::vector<Request> requests_;
  int port_ = 0;
  Poco::ThreadPool threads_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace ordersvc::testing
