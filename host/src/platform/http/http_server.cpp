#include "platform/http/http_server.h"

#include <thread>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/UUIDGenerator.h>

#include "platform/logging/log.h"

namespace ordersvc::api {

namespace {

constexpr std::size_t kMaxRequestIdLength = 128;

// A caller's X-Request-Id is kept only when it is short and plain, so it can be
// logged and echoed safely; otherwise a new one is generated.
std::string requestIdFor(const Poco::Net::HTTPServerRequest& request) {
  const std::string& given = request.get("X-Request-Id", "");
  const bool usable = !given.empty() && given.size() <= kMaxRequestIdLength &&
                      given.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") ==
                          std::string::npos;
  return usable ? given : Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

// Reads at most `limit` bytes of the body. Returns false when the body is larger.
bool readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit, std::string& body) {
  std::istream& in = request.stream();
  char buffer[8192];
  while (in) {
    in.read(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    if (body.size() + got > limit) return false;
    body.append(buffer, got);
  }
  return true;
}

class FrontHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  FrontHandler(const Router& router, metrics::MetricsRegistry& metrics, std::size_t maxBodyBytes,
               std::shared_ptr<std::atomic<int>> inFlight, std::shared_ptr<std::atomic<bool>> draining)
      : router_(router),
        metrics_(metrics),
        maxBodyBytes_(maxBodyBytes),
        inFlight_(std::move(inFlight)),
        draining_(std::move(draining)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& httpRequest, Poco::Net::HTTPServerResponse& httpResponse) override {
    const auto started = std::chrono::steady_clock::now();
    inFlight_->fetch_add(1);
    metrics::Gauge& inFlightGauge = metrics_.gauge("ordersvc_http_requests_in_flight", "REST requests being served.");
    inFlightGauge.add(1);

    Request request;
    request.method = httpRequest.getMethod();
    const std::string& uri = httpRequest.getURI();
    const auto question = uri.find('?');
    request.path = uri.substr(0, question);
    if (question != std::string::npos) request.query = uri.substr(question + 1);
    request.requestId = requestIdFor(httpRequest);
    request.remoteAddress = httpRequest.clientAddress().host().toString();

    std::string route = "unmatched";
    Response response = dispatch(httpRequest, request, route, httpResponse);

    // Metrics and the access line are recorded before the response goes out, so a client
    // that has its answer also finds it counted (a scrape right after sees every request);
    // the duration is the time to produce the response.
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string status = std::to_string(response.status);
    metrics_
        .counter("ordersvc_http_requests_total", "REST requests served, by route and status.",
                 {{"method", request.method}, {"route", route}, {"status", status}})
        .increment();
    metrics_
        .histogram("ordersvc_http_request_duration_seconds", "REST request latency, by route and status.",
                   {{"method", request.method}, {"route", route}, {"status", status}})
        .observe(seconds);
    logging::info("http request", {{"request_id", request.requestId},
                                   {"method", request.method},
                                   {"path", request.path},  // never the query: it may carry tokens
                                   {"route", route},
                                   {"status", response.status},
                                   {"duration_ms", seconds * 1000.0},
                                   {"remote", httpRequest.clientAddress().host().toString()}});
    inFlightGauge.add(-1);  // the shutdown drain still waits on inFlight_, decremented after sending
    const bool isHead = request.method == "HEAD";
    httpResponse.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    httpResponse.setContentType(response.contentType);
    httpResponse.set("X-Request-Id", request.requestId);
    for (const auto& [name, value] : response.headers) httpResponse.set(name, value);
    if (draining_->load()) httpResponse.setKeepAlive(false);
    httpResponse.setContentLength(static_cast<std::streamsize>(response.body.size()));
    try {
      std::ostream& out = httpResponse.send();
      if (!isHead) out << response.body;
      out.flush();
    } catch (const Poco::Exception& e) {
      logging::warn("response not delivered", {{"request_id", request.requestId}, {"reason", e.displayText()}});
    }

    inFlight_->fetch_sub(1);
  }

 private:
  Response dispatch(Poco::Net::HTTPServerRequest& httpRequest, Request& request, std::string& route,
                    Poco::Net::HTTPServerResponse& httpResponse) {
    auto match = router_.match(request.method, request.path);
    if (match.kind == Router::Match::Kind::NotFound) {
      return errorResponse(Error::notFound("no route for " + request.method + " " + request.path));
    }
    route = match.route;
    if (match.kind == Router::Match::Kind::MethodNotAllowed) {
      std::string allow;
      for (const auto& method : match.allowed) allow += (allow.empty() ? "" : ", ") + method;
      Response response = errorResponse(
          Error::methodNotAllowed(request.method + " is not allowed on " + request.path + "; allowed: " + allow));
      response.headers.emplace_back("Allow", allow);
      return response;
    }
    if (httpRequest.hasContentLength() && httpRequest.getContentLength64() > static_cast<Poco::Int64>(maxBodyBytes_)) {
      httpResponse.setKeepAlive(false);  // the unread body must not be parsed as the next request
      return errorResponse(Error::payloadTooLarge("request body exceeds " + std::to_string(maxBodyBytes_) + " bytes"));
    }
    try {
      if (!readBody(httpRequest, maxBodyBytes_, request.body)) {
        httpResponse.setKeepAlive(false);
        return errorResponse(
            Error::payloadTooLarge("request body exceeds " + std::to_string(maxBodyBytes_) + " bytes"));
      }
      for (const auto& [name, value] : httpRequest) {
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers[lower] = value;
        request.rawHeaders.emplace_back(name, value);
      }
      request.params = std::move(match.params);
      return (*match.handler)(request);
    } catch (const std::exception& e) {
      logging::error("request failed", {{"request_id", request.requestId}, {"route", route}, {"reason", e.what()}});
      return errorResponse(Error::internal("internal error; request id " + request.requestId));
    }
  }

  const Router& router_;
  metrics::MetricsRegistry& metrics_;
  std::size_t maxBodyBytes_;
  std::shared_ptr<std::atomic<int>> inFlight_;
  std::shared_ptr<std::atomic<bool>> draining_;
};

class FrontHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  FrontHandlerFactory(const Router& router, metrics::MetricsRegistry& metrics, std::size_t maxBodyBytes,
                      std::shared_ptr<std::atomic<int>> inFlight, std::shared_ptr<std::atomic<bool>> draining)
      : router_(router),
        metrics_(metrics),
        maxBodyBytes_(maxBodyBytes),
        inFlight_(std::move(inFlight)),
        draining_(std::move(draining)) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new FrontHandler(router_, metrics_, maxBodyBytes_, inFlight_, draining_);
  }

 private:
  const Router& router_;
  metrics::MetricsRegistry& metrics_;
  std::size_t maxBodyBytes_;
  std::shared_ptr<std::atomic<int>> inFlight_;
  std::shared_ptr<std::atomic<bool>> draining_;
};

}  // namespace

HttpServer::HttpServer(const Router& router, metrics::MetricsRegistry& metrics, HttpServerOptions options)
    : router_(router),
      metrics_(metrics),
      options_(std::move(options)),
      inFlight_(std::make_shared<std::atomic<int>>(0)),
      draining_(std::make_shared<std::atomic<bool>>(false)) {}

HttpServer::~HttpServer() {
  if (server_ && inFlight_->load() == 0) stop(std::chrono::milliseconds(0));
}

void HttpServer::start() {
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress(options_.bindAddress, options_.port), true);
  socket.listen(128);
  port_ = socket.address().port();

  auto* params = new Poco::Net::HTTPServerParams;  // the server takes ownership
  params->setMaxThreads(options_.maxThreads);
  params->setMaxQueued(options_.maxQueued);
  params->setKeepAlive(true);
  params->setTimeout(Poco::Timespan(30, 0));
  params->setKeepAliveTimeout(Poco::Timespan(10, 0));
  params->setServerName("ordersvc");

  threads_ = std::make_unique<Poco::ThreadPool>(2, options_.maxThreads, 60);
  server_ = std::make_unique<Poco::Net::HTTPServer>(
      new FrontHandlerFactory(router_, metrics_, options_.maxBodyBytes, inFlight_, draining_), *threads_, socket,
      params);
  server_->start();
}

int HttpServer::stop(std::chrono::milliseconds grace) {
  if (!server_) return 0;
  // Stop accepting. Not stopAll(false): Poco 1.11 makes that wait, without bound, for
  // each running request (HTTPServerConnection::onServerStopped takes the connection's
  // request mutex), which would defeat the grace period.
  server_->stop();
  draining_->store(true);  // responses from now on say Connection: close
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (inFlight_->load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const int unfinished = inFlight_->load();
  // Shut down every connection: idle keep-alive ones, and any request past the grace.
  server_->stopAll(true);
  if (unfinished > 0) {
    // The handlers still running use the router and everything behind it, so nothing
    // may be destroyed under them: the server and its threads are left as they are and
    // the caller ends the process (see OrderServiceApp::serve).
    return unfinished;
  }
  // Join the connection threads before destroying the server: a thread still closing a
  // connection reads the server's parameters.
  threads_->joinAll();
  server_.reset();
  threads_.reset();
  return 0;
}

}  // namespace ordersvc::api
