#include "platform/plugins/plugin_instances.h"

#include <atomic>
#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "plugin_fixture_dirs.h"

namespace ordersvc::testing {
namespace {

using plugins::PluginBinding;
using plugins::PluginCall;
using plugins::PluginInstances;
using plugins::PluginRegistry;

PluginBinding binding(const std::string& org, const std::string& instance, const std::string& plugin,
                      const std::string& range) {
  PluginBinding b;
  b.organizationId = org;
  b.instanceId = instance;
  b.pluginId = plugin;
  b.kind = "tax";
  b.versionRange = range;
  b.enabled = true;
  b.publicConfigJson = "{}";
  return b;
}

PluginCall taxCall(const std::string& org, const std::string& instance,
                   const std::string& operation = "tax.calculate") {
  PluginCall call;
  call.organizationId = org;
  call.instanceId = instance;
  call.operation = operation;
  call.requestJson = R"({"lines":[{"amount":{"value":1000,"currency":"CLP"}}]})";
  call.requestId = "req-1";
  call.idempotencyKey = "idem-1";
  return call;
}

std::string versionInResult(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("version");
}

class PluginInstancesTest : public ::testing::Test {
 protected:
  metrics::MetricsRegistry metrics_;
};

TEST_F(PluginInstancesTest, CallsReachTheInstanceWithItsOrganizationAndConfiguration) {
  PluginRegistry registry({fixtureCase("good")}, {&metrics_});
  registry.reload();
  PluginInstances instances(registry, metrics_);
  ASSERT_TRUE(instances.activate(binding("org_a", "tax-main", "echo", "^1"), R"({"region":"RM"})"));
  auto result = instances.call(taxCall("org_a", "tax-main"));
  ASSERT_TRUE(result) << result.error().message;
  auto json = Poco::JSON::Parser().parse(result->json).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(json->getValue<std::string>("organization_id"), "org_a");
  EXPECT_EQ(json->getValue<std::string>("instance_id"), "tax-main");
  EXPECT_EQ(json->getObject("config")->getValue<std::string>("region"), "RM");
  EXPECT_EQ(json->getObject("echo")->getArray("lines")->size(), 1u);
  EXPECT_EQ(result->version, "1.0.0");
  // Another organization cannot reach this instance.
  EXPECT_EQ(instances.call(taxCall("org_b", "tax-main")).error().code, ErrorCode::NotFound);
  // Calls are counted with plugin labels.
  EXPECT_NE(metrics_.render().find("ordersvc_plugins_calls_total{plugin=\"echo\",plugin_version=\"1.0.0\","
                                   "operation=\"tax.calculate\",status=\"ok\"} 1"),
            std::string::npos);
}

TEST_F(PluginInstancesTest, UnsupportedUnknownAndMissingAreClearErrors) {
  PluginRegistry registry({fixtureCase("good")}, {});
  registry.reload();
  PluginInstances instances(registry, metrics_);
  ASSERT_TRUE(instances.activate(binding("org_a", "t", "echo", "*"), "{}"));
  EXPECT_EQ(instances.call(taxCall("org_a", "t", "tax.commit")).error().code, ErrorCode::Unprocessable);
  EXPECT_EQ(instances.call(taxCall("org_a", "t", "tax.nonsense")).error().code, ErrorCode::InvalidArgument);
  auto none = instances.activate(binding("org_a", "t2", "echo", "^5"), "{}");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no loaded version of echo matches ^5"), std::string::npos);
  EXPECT_EQ(instances.status("org_a", "t2").state, "unavailable");
  EXPECT_EQ(instances.call(taxCall("org_a", "t2")).error().code, ErrorCode::Unavailable);
}

TEST_F(PluginInstancesTest, TwoOrganizationsPinnedToTwoVersionsAreServedAtTheSameTime) {
  PluginRegistry registry({fixtureCase("two-versions")}, {});
  registry.reload();
  PluginInstances instances(registry, metrics_);
  ASSERT_TRUE(instances.activate(binding("org_old", "tax", "echo", "1.x"), "{}"));
  ASSERT_TRUE(instances.activate(binding("org_new", "tax", "echo", "^2.0"), "{}"));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string org = t % 2 == 0 ? "org_old" : "org_new";
      const std::string expected = t % 2 == 0 ? "1.0.0" : "2.0.0";
      for (int i = 0; i < 200; ++i) {
        auto result = instances.call(taxCall(org, "tax"));
        if (!result || result->version != expected || versionInResult(result->json) != expected) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_F(PluginInstancesTest, ReloadingRepeatedlyUnderLoadFailsNoCallAndNeverMixesVersions) {
  const std::string dir = pluginsDirWith({"two-versions/echo/1.0.0"});
  PluginRegistry registry({dir}, {});
  registry.reload();
  PluginInstances instances(registry, metrics_);
  ASSERT_TRUE(instances.activate(binding("org_a", "tax", "echo", "*"), "{}"));

  std::atomic<bool> stop{false};
  std::atomic<long> calls{0}, failures{0}, mixed{0}, servedByOld{0}, servedByNew{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      while (!stop.load()) {
        auto result = instances.call(taxCall("org_a", "tax"));
        ++calls;
        if (!result) {
          ++failures;
          continue;
        }
        // The version the host says served the call is the one the plugin reports.
        if (versionInResult(result->json) != result->version) ++mixed;
        (result->version == "1.0.0" ? servedByOld : servedByNew)++;
      }
    });
  }
  // Drop the new version in, reload, then move the instance back and forth between
  // versions (a configuration change is also a swap) many times.
  auto waitForCalls = [&](long atLeast) {
    for (int i = 0; i < 2000 && calls.load() < atLeast; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  waitForCalls(50);
  Poco::File(fixtureCase("two-versions/echo/2.0.0")).copyTo(dir + "/echo");
  registry.reload();
  EXPECT_EQ(instances.rebindAll(), 1);
  for (int round = 0; round < 30; ++round) {
    const long before = calls.load();
    registry.reload();
    instances.rebindAll();
    ASSERT_TRUE(instances.activate(binding("org_a", "tax", "echo", round % 2 == 0 ? "1.x" : "2.x"), "{}"));
    waitForCalls(before + 20);
  }
  stop = true;
  for (auto& caller : callers) caller.join();
  instances.reapRetired();

  EXPECT_GT(calls.load(), 600);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mixed.load(), 0);
  EXPECT_GT(servedByOld.load(), 0);
  EXPECT_GT(servedByNew.load(), 0);
}

TEST_F(PluginInstancesTest, ExceptionsBecomeInternalErrorsAndRepeatedFaultsQuarantine) {
  PluginRegistry registry({fixtureCase("throws")}, {});
  registry.reload();
  ASSERT_NE(registry.find("faulty", "1.0.0"), nullptr);
  PluginInstances instances(registry, metrics_);
  auto faulty = binding("org_a", "bad", "faulty", "*");
  ASSERT_TRUE(instances.activate(faulty, "{}"));
  for (int i = 0; i < PluginInstances::kQuarantineAfterFaults; ++i) {
    auto result = instances.call(taxCall("org_a", "bad"));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::Internal);
  }
  EXPECT_EQ(instances.status("org_a", "bad").state, "quarantined");
  auto blocked = instances.call(taxCall("org_a", "bad"));
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::Unavailable);
  EXPECT_NE(blocked.error().message.find("quarantined"), std::string::npos);
  // A new configuration gives it a fresh start.
  ASSERT_TRUE(instances.activate(faulty, "{}"));
  EXPECT_EQ(instances.status("org_a", "bad").state, "active");
}

TEST_F(PluginInstancesTest, CallPastItsDeadlineReturnsDeadlineAndTheHostGoesOn) {
  PluginRegistry registry({fixtureCase("throws")}, {});
  registry.reload();
  PluginInstances instances(registry, metrics_);
  ASSERT_TRUE(instances.activate(binding("org_a", "slow", "faulty", "*"), "{}"));
  auto call = taxCall("org_a", "slow", "tax.commit");
  call.timeout = std::chrono::milliseconds(200);
  auto result = instances.call(call);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::DeadlineExceeded);
  EXPECT_EQ(instances.status("org_a", "slow").state, "active");  // a deadline is not a fault
}

}  // namespace
}  // namespace ordersvc::testing
