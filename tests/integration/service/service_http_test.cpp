// The real ordersvc binary on a socket, once on SQLite and once on PostgreSQL.
#include <fstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include "service_process.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

Poco::JSON::Object::Ptr json(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

class ServiceHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::map<std::string, std::string> baseEnv() {
    std::map<std::string, std::string> env;
    if (GetParam() == "postgresql") env["DATABASE_URL"] = createPostgresDatabase("ordersvc_http");
    return env;
  }
};

TEST_P(ServiceHttpTest, HealthEndpointsAnswerWithTheEnvelope) {
  ServiceProcess service(baseEnv());
  const auto health = httpGet(service.httpPort(), "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json(health.body)->getValue<std::string>("status"), "success");
  EXPECT_EQ(json(health.body)->getObject("data")->getValue<std::string>("status"), "ok");

  const auto ready = httpGet(service.httpPort(), "/health/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  auto checks = json(ready.body)->getObject("data")->getObject("checks");
  EXPECT_EQ(checks->getObject("database")->getValue<std::string>("status"), "up");
  EXPECT_EQ(checks->getObject("migrations")->getValue<int>("pending"), 0);

  const auto db = httpGet(service.httpPort(), "/health/db");
  ASSERT_EQ(db.status, 200) << db.body;
  auto dbData = json(db.body)->getObject("data");
  EXPECT_EQ(dbData->getValue<std::string>("backend"), GetParam());
  EXPECT_GT(dbData->getValue<double>("latency_ms"), 0.0);
  EXPECT_EQ(dbData->getObject("pool")->getValue<int>("capacity"), 15);  // 10 + 5 overflow by default
}

TEST_P(ServiceHttpTest, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  ServiceProcess service(baseEnv());
  const auto missing = httpGet(service.httpPort(), "/api/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json(missing.body)->getValue<std::string>("status"), "error");
  EXPECT_EQ(json(missing.body)->getObject("error")->getValue<std::string>("code"), "NOT_FOUND");

  const auto wrong = httpRequest(service.httpPort(), "DELETE", "/health/ready");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers.at("allow"), "GET, HEAD");
  EXPECT_EQ(json(wrong.body)->getObject("error")->getValue<std::string>("code"), "METHOD_NOT_ALLOWED");
}

TEST_P(ServiceHttpTest, OversizedBodiesGet413WhetherDeclaredOrChunked) {
  auto env = baseEnv();
  env["HTTP_MAX_BODY_BYTES"] = "1024";
  env["DEBUG_ROUTES"] = "true";
  ServiceProcess service(env);
  const auto declared = httpRequest(service.httpPort(), "GET", "/debug/sleep?ms=0", std::string(4096, 'x'));
  EXPECT_EQ(declared.status, 413);
  EXPECT_EQ(json(declared.body)->getObject("error")->getValue<std::string>("code"), "PAYLOAD_TOO_LARGE");

  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(service.httpPort()));
  Poco::Net::HTTPRequest request("GET", "/debug/sleep?ms=0", Poco::Net::HTTPMessage::HTTP_1_1);
  request.setChunkedTransferEncoding(true);
  session.sendRequest(request) << std::string(4096, 'y');
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  EXPECT_EQ(response.getStatus(), 413);

  const auto small = httpRequest(service.httpPort(), "GET", "/debug/sleep?ms=0", std::string(100, 'z'));
  EXPECT_EQ(small.status, 200);
}

TEST_P(ServiceHttpTest, RequestIdIsEchoedOrGeneratedAndLogged) {
  ServiceProcess service(baseEnv());
  const auto given = httpRequest(service.httpPort(), "GET", "/health", "", {{"X-Request-Id", "req-abc.123"}});
  EXPECT_EQ(given.headers.at("x-request-id"), "req-abc.123");
  const auto generated = httpGet(service.httpPort(), "/health");
  ASSERT_EQ(generated.headers.count("x-request-id"), 1u);
  EXPECT_EQ(generated.headers.at("x-request-id").size(), 36u);  // a UUID
  const auto unsafe = httpRequest(service.httpPort(), "GET", "/health", "", {{"X-Request-Id", "bad id\"with quotes"}});
  EXPECT_NE(unsafe.headers.at("x-request-id"), "bad id\"with quotes");

  service.signal(SIGTERM);
  ASSERT_EQ(service.waitExit(std::chrono::seconds(30)), 0);
  const std::string log = service.stdoutText();
  EXPECT_NE(log.find("request_id=req-abc.123 method=GET path=/health route=/health status=200"), std::string::npos)
      << log;
  EXPECT_NE(log.find("request_id=" + generated.headers.at("x-request-id")), std::string::npos);
}

TEST_P(ServiceHttpTest, JsonLogsCarryEveryRequestFieldAndNoSecrets) {
  auto env = baseEnv();
  env["LOG_FORMAT"] = "json";
  env["STRIPE_SECRET_KEY"] = "sk_test_topsecret_value";
  env["REDIS_URL"] = "redis://:redispassword123@127.0.0.1:1/0";
  ServiceProcess service(env);
  httpRequest(service.httpPort(), "GET", "/health?token=querysecret", "", {{"X-Request-Id", "json-log-1"}});
  service.signal(SIGTERM);
  ASSERT_EQ(service.waitExit(std::chrono::seconds(30)), 0);
  const std::string log = service.stdoutText();
  bool found = false;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;
    auto entry = json(line);  // every JSON line parses
    EXPECT_TRUE(entry->has("ts"));
    EXPECT_TRUE(entry->has("level"));
    if (entry->optValue<std::string>("request_id", "") == "json-log-1") {
      found = true;
      EXPECT_EQ(entry->getValue<std::string>("method"), "GET");
      EXPECT_EQ(entry->getValue<std::string>("path"), "/health");
      EXPECT_EQ(entry->getValue<int>("status"), 200);
      EXPECT_TRUE(entry->has("duration_ms"));
    }
  }
  EXPECT_TRUE(found) << log;
  for (const char* secret : {"sk_test_topsecret_value", "redispassword123", "querysecret", "ordersvc:ordersvc@"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
    EXPECT_EQ(service.stderrText().find(secret), std::string::npos) << secret;
  }
}

TEST_P(ServiceHttpTest, MetricsPassPromtoolAndCountRequestsByRouteAndStatus) {
  ServiceProcess service(baseEnv());
  for (int i = 0; i < 3; ++i) httpGet(service.httpPort(), "/health");
  httpGet(service.httpPort(), "/nope/1");
  httpGet(service.httpPort(), "/nope/2");
  const auto metrics = httpGet(service.httpPort(), "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.headers.at("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
  const std::string& text = metrics.body;
  EXPECT_NE(text.find("ordersvc_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 3"),
            std::string::npos)
      << text;
  // Unknown paths share one label value, so ids in URLs cannot explode cardinality.
  EXPECT_NE(text.find("ordersvc_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("ordersvc_http_request_duration_seconds_bucket{method=\"GET\",route=\"/"
                      "health\",status=\"200\",le=\"+Inf\"} 3"),
            std::string::npos);
  EXPECT_NE(text.find("ordersvc_http_requests_in_flight 1"), std::string::npos);  // this scrape
  for (const char* family :
       {"ordersvc_db_pool_connections{state=\"in_use\"}", "ordersvc_db_pool_connections{state=\"idle\"}",
        "ordersvc_db_pool_capacity 15", "process_resident_memory_bytes", "process_cpu_seconds_total",
        "process_open_fds", "process_max_fds", "process_start_time_seconds", "ordersvc_build_info{"}) {
    EXPECT_NE(text.find(family), std::string::npos) << family;
  }
  const std::string file = service.workDir() + "/metrics.txt";
  std::ofstream(file) << text;
  const auto promtool = runCommand("promtool check metrics < " + file);
  EXPECT_EQ(promtool.exitCode, 0) << promtool.output;
}

TEST_P(ServiceHttpTest, IntegrationsReportUpDownAndNotConfigured) {
  auto env = baseEnv();
  env["REDIS_URL"] = requiredEnv("ORDERSVC_TEST_REDIS_URL");
  env["RABBITMQ_URL"] = requiredEnv("ORDERSVC_TEST_AMQP_URL");
  env["INVENTORY_GRPC_HOST"] = "127.0.0.1";
  env["INVENTORY_GRPC_PORT"] = "1";  // nothing listens on port 1
  env["INTEGRATION_CHECK_TIMEOUT_MS"] = "500";
  ServiceProcess service(env);
  const auto response = httpGet(service.httpPort(), "/health/integrations");
  ASSERT_EQ(response.status, 200) << response.body;
  auto data = json(response.body)->getObject("data");
  auto systems = data->getObject("integrations");
  EXPECT_EQ(systems->getObject("database")->getValue<std::string>("status"), "up");
  EXPECT_EQ(systems->getObject("redis")->getValue<std::string>("status"), "up") << response.body;
  EXPECT_EQ(systems->getObject("rabbitmq")->getValue<std::string>("status"), "up") << response.body;
  EXPECT_EQ(systems->getObject("inventory")->getValue<std::string>("status"), "down");
  EXPECT_EQ(systems->getObject("catalog")->getValue<std::string>("status"), "not_configured");
  EXPECT_GT(systems->getObject("redis")->getValue<double>("latency_ms"), 0.0);
  EXPECT_EQ(data->getValue<std::string>("status"), "degraded");
  EXPECT_EQ(response.body.find("guest:guest"), std::string::npos);  // password masked in targets
}

TEST_P(ServiceHttpTest, GrpcServiceOfAnotherProcessIsSeenAsUp) {
  // A second ordersvc's gRPC port stands in for the Inventory and Catalog services:
  // a real gRPC server that the probe must complete an HTTP/2 handshake with.
  ServiceProcess upstream(baseEnv());
  auto env = baseEnv();
  env["INVENTORY_GRPC_HOST"] = "127.0.0.1";
  env["INVENTORY_GRPC_PORT"] = std::to_string(upstream.grpcPort());
  env["CATALOG_GRPC_HOST"] = "127.0.0.1";
  env["CATALOG_GRPC_PORT"] = std::to_string(upstream.grpcPort());
  ServiceProcess service(env);
  const auto response = httpGet(service.httpPort(), "/health/integrations");
  auto systems = json(response.body)->getObject("data")->getObject("integrations");
  EXPECT_EQ(systems->getObject("inventory")->getValue<std::string>("status"), "up") << response.body;
  EXPECT_EQ(systems->getObject("catalog")->getValue<std::string>("status"), "up") << response.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, ServiceHttpTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ordersvc::testing
