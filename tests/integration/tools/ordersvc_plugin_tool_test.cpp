// The ordersvc-plugin tool as a user runs it, and signature enforcement in the loader.
#include <fstream>

#include <Poco/File.h>
#include <gtest/gtest.h>

#include "platform/plugins/plugin_registry.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

const std::string kTool = ORDERSVC_PLUGIN_TOOL;

std::string fixture(const std::string& relative) {
  return std::string(ORDERSVC_TEST_PLUGINS_DIR) + "/" + relative;
}

// A private plugins dir with a copy of the good echo plugin: <root>/echo/1.0.0.
std::string copyOfEcho(std::string& root) {
  root = makeTempDir("ordersvc_tool");
  Poco::File(root + "echo").createDirectories();
  Poco::File(fixture("good/echo/1.0.0")).copyTo(root + "echo");
  return root + "echo/1.0.0";
}

std::string readText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(OrdersvcPluginToolTest, CheckPassesAConformingPluginAndFailsAFaultyOne) {
  std::string root;
  const std::string echo = copyOfEcho(root);
  std::ofstream(echo + "/conformance.json") << R"({"config":{},"requests":{"tax.calculate":{"lines":[]}}})";
  const auto good = runCommand(kTool + " check " + echo);
  EXPECT_EQ(good.exitCode, 0) << good.output;
  EXPECT_NE(good.output.find(" passed, 0 failed"), std::string::npos) << good.output;

  const std::string faultyRoot = makeTempDir("ordersvc_tool_faulty");
  Poco::File(faultyRoot + "faulty").createDirectories();
  Poco::File(fixture("throws/faulty/1.0.0")).copyTo(faultyRoot + "faulty");
  std::ofstream(faultyRoot + "faulty/1.0.0/conformance.json")
      << R"({"config":{},"requests":{"tax.calculate":{},"tax.commit":{}}})";
  const auto bad = runCommand(kTool + " check " + faultyRoot + "faulty/1.0.0");
  EXPECT_EQ(bad.exitCode, 1) << bad.output;
  EXPECT_NE(bad.output.find("FAIL tax.calculate answers the sample request"), std::string::npos) << bad.output;
}

TEST(OrdersvcPluginToolTest, InspectShowsTheManifestWithoutLoading) {
  std::string root;
  const std::string echo = copyOfEcho(root);
  const auto out = runCommand(kTool + " inspect " + echo);
  EXPECT_EQ(out.exitCode, 0) << out.output;
  EXPECT_NE(out.output.find("id:           echo"), std::string::npos);
  EXPECT_NE(out.output.find("(matches)"), std::string::npos);
  EXPECT_EQ(runCommand(kTool + " frobnicate").exitCode, 64);
}

TEST(OrdersvcPluginToolTest, SignedPluginsLoadOnlyWithATrustedKeyWhenSignaturesAreRequired) {
  std::string root;
  const std::string echo = copyOfEcho(root);
  const std::string keys = makeTempDir("ordersvc_keys");
  const std::string otherKeys = makeTempDir("ordersvc_other_keys");
  ASSERT_EQ(runCommand(kTool + " keygen " + keys).exitCode, 0);
  ASSERT_EQ(runCommand(kTool + " keygen " + otherKeys).exitCode, 0);
  EXPECT_EQ(runCommand("stat -c %a " + keys + "publisher.key").output, "600\n");
  const std::string trusted = readText(keys + "publisher.pub");

  // Unsigned: refused when signatures are required.
  {
    plugins::PluginRegistry registry({root}, {}, {true, {trusted}});
    const auto report = registry.reload();
    ASSERT_EQ(report.refused.size(), 1u);
    EXPECT_NE(report.refused[0].find("unsigned"), std::string::npos) << report.refused[0];
  }
  // Signed by someone else: refused.
  ASSERT_EQ(runCommand(kTool + " sign " + echo + " " + otherKeys + "publisher.key").exitCode, 0);
  {
    plugins::PluginRegistry registry({root}, {}, {true, {trusted}});
    const auto report = registry.reload();
    ASSERT_EQ(report.refused.size(), 1u);
    EXPECT_NE(report.refused[0].find("signature mismatch"), std::string::npos) << report.refused[0];
  }
  // Signed by the trusted publisher: loads.
  ASSERT_EQ(runCommand(kTool + " sign " + echo + " " + keys + "publisher.key").exitCode, 0);
  {
    plugins::PluginRegistry registry({root}, {}, {true, {trusted}});
    const auto report = registry.reload();
    EXPECT_EQ(report.loaded, std::vector<std::string>{"echo@1.0.0"});
    EXPECT_TRUE(report.refused.empty());
  }
  EXPECT_NE(runCommand(kTool + " inspect " + echo).output.find("signature:    present"), std::string::npos);
}

}  // namespace
}  // namespace ordersvc::testing
