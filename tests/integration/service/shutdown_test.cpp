// Graceful shutdown of the real binary.
#include <future>
#include <thread>

#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include "service_process.h"

namespace ordersvc::testing {
namespace {

double inFlight(int port) {
  const std::string text = httpGet(port, "/metrics").body;
  const std::string key = "\nordersvc_http_requests_in_flight ";
  const auto at = text.find(key);
  return at == std::string::npos ? 0 : std::stod(text.substr(at + key.size()));
}

bool acceptsConnections(int port) {
  try {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), Poco::Timespan(1, 0));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

TEST(ShutdownTest, SlowInFlightRequestCompletesAfterSigterm) {
  ServiceProcess service(ServiceProcess::Env{{"DEBUG_ROUTES", "true"}, {"SHUTDOWN_GRACE_SECONDS", "30"}});
  const int port = service.httpPort();
  auto slow = std::async(std::launch::async, [port] { return httpGet(port, "/debug/sleep?ms=3000"); });

  // Wait until the slow request is really being served (the scrape itself is one).
  for (int i = 0; i < 500 && inFlight(port) < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GE(inFlight(port), 2);

  service.signal(SIGTERM);
  // The listening socket closes while the slow request is still running.
  bool refused = false;
  for (int i = 0; i < 200 && !refused; ++i) {
    refused = !acceptsConnections(port);
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(refused);
  EXPECT_EQ(slow.wait_for(std::chrono::seconds(0)), std::future_status::timeout) << "slow request ended too early";

  const auto response = slow.get();
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("\"slept_ms\":3000"), std::string::npos) << response.body;
  EXPECT_EQ(service.waitExit(std::chrono::seconds(30)), 0);
  EXPECT_NE(service.stdoutText().find("ordersvc stopped"), std::string::npos);
}

TEST(ShutdownTest, RequestsBeyondTheGracePeriodAreCutAndTheProcessStillExits) {
  ServiceProcess service(ServiceProcess::Env{{"DEBUG_ROUTES", "true"}, {"SHUTDOWN_GRACE_SECONDS", "1"}});
  const int port = service.httpPort();
  auto slow = std::async(std::launch::async, [port]() -> int {
    try {
      return httpGet(port, "/debug/sleep?ms=20000").status;
    } catch (const Poco::Exception&) {
      return -1;  // connection cut
    }
  });
  for (int i = 0; i < 500 && inFlight(port) < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  service.signal(SIGTERM);
  EXPECT_EQ(service.waitExit(std::chrono::seconds(30)), 0);
  EXPECT_EQ(slow.get(), -1);
  EXPECT_NE(service.stdoutText().find("requests aborted at the end of the grace period"), std::string::npos);
}

}  // namespace
}  // namespace ordersvc::testing
