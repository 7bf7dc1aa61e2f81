#include "platform/plugins/plugin_http_client.h"

#include <atomic>
#include <mutex>
#include <thread>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <gtest/gtest.h>

#include "osp/osp.h"
#include "platform/plugins/plugin_host_services.h"

namespace ordersvc::plugins {
namespace {

// A provider stand-in on loopback: records what it received, answers per path.
class MockProvider {
 public:
  struct Seen {
    std::string method, uri, body, authorization;
  };

  MockProvider() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    server_ =
        std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), threads_, socket, new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~MockProvider() {
    // Handlers still sleeping (/slow) must finish before the server they use goes away.
    server_->stopAll(true);
    threads_.joinAll();
    server_.reset();
  }

  int port() const { return port_; }
  std::vector<Seen> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(MockProvider& owner) : owner_(owner) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
      Seen seen{request.getMethod(), request.getURI(), "", request.get("Authorization", "")};
      Poco::StreamCopier::copyToString(request.stream(), seen.body);
      {
        std::lock_guard lock(owner_.mutex_);
        owner_.seen_.push_back(seen);
      }
      if (seen.uri.rfind("/slow", 0) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      if (seen.uri.rfind("/short", 0) == 0) {
        // Promises 100 bytes, sends 10 and stops: the client must not call that a success.
        response.setContentLength(100);
        response.send() << std::string(10, 'x') << std::flush;
        std::this_thread::sleep_for(std::chrono::milliseconds(800));
        return;
      }
      if (seen.uri.rfind("/big", 0) == 0) {
        response.send() << std::string(4096, 'x');
        return;
      }
      response.setStatus(Poco::Net::HTTPResponse::HTTP_CREATED);
      response.set("X-Provider", "mock");
      response.setContentType("application/json");
      response.send() << R"({"id":"ch_1","echo":")" << seen.body << "\"}";
    }

   private:
    MockProvider& owner_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(MockProvider& owner) : owner_(owner) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(owner_);
    }

   private:
    MockProvider& owner_;
  };

  int port_ = 0;
  Poco::ThreadPool threads_{1, 8};
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::mutex mutex_;
  std::vector<Seen> seen_;
};

osp_str str(const std::string& s) {
  return osp_str{s.data(), s.size()};
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class PluginHttpClientTest : public ::testing::Test {
 protected:
  PluginHttpClientTest()
      : client_(HttpClientOptions{1024, std::chrono::milliseconds(5000)}),
        services_("stripe", "1.0.0", 0, {"api.provider.test", "*.sandbox.test"},
                  HostEnvironment{&metrics_, nullptr, &client_, "test"}) {}

  // Sends through the C table exactly as a plugin would.
  osp_status send(const std::string& method, const std::string& url, const std::string& body,
                  const std::string& baseUrlOverride, osp_http_response& response, uint32_t timeoutMs = 0,
                  int64_t deadline = 0) {
    CallState state;
    state.baseUrlOverride = baseUrlOverride;
    const std::string org = "org_a", instance = "stripe-main", request = "req-1", idem = "idem-1";
    osp_call_ctx ctx{sizeof(osp_call_ctx), str(org), str(instance), str(request), str(idem), deadline, &state};
    const std::string authName = "Authorization", authValue = "Bearer sk_live_secret";
    osp_http_header headers[] = {{str(authName), str(authValue), OSP_HTTP_HEADER_SECRET}};
    osp_http_request req{sizeof(osp_http_request),
                         str(method),
                         str(url),
                         headers,
                         1,
                         osp_bytes{reinterpret_cast<const uint8_t*>(body.data()), body.size()},
                         timeoutMs};
    const auto* http =
        static_cast<const osp_http_v1*>(services_.table()->get_service(services_.table(), OSP_SERVICE_HTTP_V1));
    return http->send(services_.table(), &ctx, &req, &response);
  }

  void release(osp_http_response& response) {
    const auto* http =
        static_cast<const osp_http_v1*>(services_.table()->get_service(services_.table(), OSP_SERVICE_HTTP_V1));
    http->release(services_.table(), &response);
  }

  metrics::MetricsRegistry metrics_;
  PluginHttpClient client_;
  PluginHostServices services_;
  MockProvider provider_;
};

TEST_F(PluginHttpClientTest, OverrideRoutesAnAllowedHostToTheMockAndReturnsTheResponse) {
  osp_http_response response{};
  const std::string base = "http://127.0.0.1:" + std::to_string(provider_.port());
  ASSERT_EQ(send("POST", "https://api.provider.test/v1/charges?expand=x", "amount=100", base, response), OSP_OK);
  EXPECT_EQ(response.status, 201);
  const std::string body(reinterpret_cast<const char*>(response.body.ptr), response.body.len);
  EXPECT_EQ(body, R"({"id":"ch_1","echo":"amount=100"})");
  bool sawHeader = false;
  for (std::size_t i = 0; i < response.header_count; ++i) {
    const std::string name(response.headers[i].name.ptr, response.headers[i].name.len);
    if (name == "X-Provider") sawHeader = true;
  }
  EXPECT_TRUE(sawHeader);
  release(response);
  EXPECT_EQ(response.body.ptr, nullptr);
  const auto seen = provider_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].uri, "/v1/charges?expand=x");
  EXPECT_EQ(seen[0].authorization, "Bearer sk_live_secret");  // secret headers are sent, only masked in logs
  EXPECT_NE(metrics_.render().find(
                "ordersvc_plugins_http_requests_total{plugin=\"stripe\",host=\"api.provider.test\",status=\"201\"} 1"),
            std::string::npos);
}

TEST_F(PluginHttpClientTest, WildcardAllowsSubdomainsOnly) {
  osp_http_response response{};
  const std::string base = "http://127.0.0.1:" + std::to_string(provider_.port());
  EXPECT_EQ(send("GET", "https://eu.sandbox.test/x", "", base, response), OSP_OK);
  release(response);
  EXPECT_EQ(send("GET", "https://sandbox.test/x", "", base, response), OSP_E_PERMANENT);
}

TEST_F(PluginHttpClientTest, HostsOutsideTheAllowListAreRefusedBeforeAnyTraffic) {
  osp_http_response response{};
  const std::string base = "http://127.0.0.1:" + std::to_string(provider_.port());
  EXPECT_EQ(send("GET", "https://evil.example/steal", "", base, response), OSP_E_PERMANENT);
  EXPECT_TRUE(provider_.seen().empty());
}

TEST_F(PluginHttpClientTest, PlainHttpIsRefusedWithoutAnOverride) {
  osp_http_response response{};
  EXPECT_EQ(send("GET", "http://api.provider.test/x", "", "", response), OSP_E_PERMANENT);
}

TEST_F(PluginHttpClientTest, PassedDeadlineSendsNothing) {
  osp_http_response response{};
  const std::string base = "http://127.0.0.1:" + std::to_string(provider_.port());
  EXPECT_EQ(send("GET", "https://api.provider.test/x", "", base, response, 0, nowMs() - 1), OSP_E_DEADLINE);
  EXPECT_TRUE(provider_.seen().empty());
}

TEST_F(PluginHttpClientTest, SlowProviderTimesOutAsDeadlineBecauseTheRequestWasSent) {
  osp_http_response response{};
  const std::string base = "http://127.0.0.1:" + std::to_string(provider_.port());
  EXPECT_EQ(send("GET", "https://api.provider.test/slow", "", base, response, 300), OSP_E_DEADLINE);
  // The call's deadline bounds it too, even with no per-request time-out.
  EXPECT_EQ(send("GET", "https://api.provider.test/slow", "", base, response, 0, nowMs() + 300), OSP_E_DEADLINE);
}

TEST_F(PluginHttpClientTest, ABodyCutShortIsNotASuccess) {
  osp_http_response response{};
  const std::string base = "http://127.0.0.1:" + std::to_string(provider_.port());
  EXPECT_EQ(send("GET", "https://api.provider.test/short", "", base, response, 300), OSP_E_DEADLINE);
}

TEST_F(PluginHttpClientTest, ResponsesOverTheCapAreRefused) {
  osp_http_response response{};
  const std::string base = "http://127.0.0.1:" + std::to_string(provider_.port());
  EXPECT_EQ(send("GET", "https://api.provider.test/big", "", base, response), OSP_E_PERMANENT);
}

TEST_F(PluginHttpClientTest, RefusedConnectionIsTransientBecauseNothingWasSent) {
  Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = closed.address().port();
  closed.close();
  osp_http_response response{};
  EXPECT_EQ(send("POST", "https://api.provider.test/x", "a=1", "http://127.0.0.1:" + std::to_string(port), response),
            OSP_E_TRANSIENT);
}

}  // namespace
}  // namespace ordersvc::plugins
