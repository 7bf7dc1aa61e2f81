#include "app/plugin_tool/canned_provider.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

namespace ordersvc::tools {

namespace {

class CannedHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit CannedHandler(const CannedProvider& owner) : owner_(owner) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    Poco::NullOutputStream discard;
    Poco::StreamCopier::copyStream(request.stream(), discard);
    const CannedProvider::Reply* reply = owner_.match(request.getMethod(), Poco::URI(request.getURI()).getPath());
    const int status = reply ? reply->status : 404;
    const std::string body = reply ? reply->body : R"({"error":"no canned reply for this request"})";
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
  }

 private:
  const CannedProvider& owner_;
};

class CannedFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit CannedFactory(const CannedProvider& owner) : owner_(owner) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new CannedHandler(owner_);
  }

 private:
  const CannedProvider& owner_;
};

}  // namespace

CannedProvider::CannedProvider(std::vector<Reply> replies) : replies_(std::move(replies)), threads_(2, 16) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = socket.address().port();
  server_ = std::make_unique<Poco::Net::HTTPServer>(new CannedFactory(*this), threads_, socket,
                                                    new Poco::Net::HTTPServerParams);
  server_->start();
}

CannedProvider::~CannedProvider() {
  server_->stopAll(true);
  threads_.joinAll();
  server_.reset();
}

const CannedProvider::Reply* CannedProvider::match(const std::string& method, const std::string& path) const {
  for (const auto& reply : replies_) {
    if (reply.method == method && path.rfind(reply.pathPrefix, 0) == 0) return &reply;
  }
  return nullptr;
}

}  // namespace ordersvc::tools
