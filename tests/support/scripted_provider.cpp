#include "scripted_provider.h"

#include <algorithm>
#include <cctype>
#include <thread>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

namespace ordersvc::testing {

namespace {

class RecordingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RecordingHandler(ScriptedProvider& owner) : owner_(owner) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    ScriptedProvider::Request seen;
    seen.method = request.getMethod();
    const std::string uri = request.getURI();
    const auto question = uri.find('?');
    seen.path = uri.substr(0, question);
    if (question != std::string::npos) seen.query = uri.substr(question + 1);
    for (const auto& [name, value] : request) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
      seen.headers[lower] = value;
    }
    Poco::StreamCopier::copyToString(request.stream(), seen.body);
    const ScriptedProvider::Reply reply = owner_.handle(seen);
    if (reply.delay.count() > 0) std::this_thread::sleep_for(reply.delay);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType(reply.contentType);
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    response.send() << reply.body;
  }

 private:
  ScriptedProvider& owner_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(ScriptedProvider& owner) : owner_(owner) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new RecordingHandler(owner_);
  }

 private:
  ScriptedProvider& owner_;
};

}  // namespace

ScriptedProvider::ScriptedProvider(int threads) : threads_(2, threads) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(threads);
  params->setKeepAlive(true);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), threads_, socket, params);
  server_->start();
}

ScriptedProvider::~ScriptedProvider() {
  // Handlers still sleeping (delays) must finish before the server they use goes away.
  server_->stopAll(true);
  threads_.joinAll();
  server_.reset();
}

void ScriptedProvider::setHandler(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

std::vector<ScriptedProvider::Request> ScriptedProvider::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

int ScriptedProvider::count(const std::string& method, const std::string& pathPrefix) const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::count_if(requests_.begin(), requests_.end(), [&](const Request& r) {
    return r.method == method && r.path.rfind(pathPrefix, 0) == 0;
  }));
}

void ScriptedProvider::clear() {
  std::lock_guard lock(mutex_);
  requests_.clear();
}

ScriptedProvider::Reply ScriptedProvider::handle(const Request& request) {
  Handler handler;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    handler = handler_;
  }
  if (!handler) return Reply{404, R"({"error":"no handler"})"};
  return handler(request);
}

}  // namespace ordersvc::testing
