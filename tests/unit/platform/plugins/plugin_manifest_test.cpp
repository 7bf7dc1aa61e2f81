#include "platform/plugins/plugin_manifest.h"

#include <gtest/gtest.h>

namespace ordersvc::plugins {
namespace {

const std::string kSha(64, 'a');

std::string manifest(const std::string& overrides) {
  return R"({"id":"cash","kind":"payment","version":"1.2.0","abi":{"major":1,"min_minor":0},"library":"libcash.so",)"
         R"("sha256":")" +
         kSha + R"(","operations":["payment.sale"],"egress_hosts":["api.example.com"])" + overrides + "}";
}

TEST(PluginManifestTest, ParsesAValidManifest) {
  auto m = PluginManifest::parse(manifest(R"(,"config_schema":{"type":"object"})"));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->id, "cash");
  EXPECT_EQ(m->kind, "payment");
  EXPECT_EQ(m->version.toString(), "1.2.0");
  EXPECT_EQ(m->abiMajor, 1);
  EXPECT_EQ(m->library, "libcash.so");
  EXPECT_EQ(m->operations, std::vector<std::string>{"payment.sale"});
  EXPECT_EQ(m->egressHosts, std::vector<std::string>{"api.example.com"});
  EXPECT_EQ(m->configSchemaJson, R"({"type":"object"})");
}

TEST(PluginManifestTest, RejectsMalformedManifestsNamingTheField) {
  struct Case {
    std::string json, field;
  };
  for (const Case& c :
       {Case{"{not json", "JSON"}, Case{R"({"kind":"payment"})", "id"},
        Case{manifest(R"(,"kind":"shipping")").replace(0, 0, ""), "kind"},
        Case{R"({"id":"x","kind":"tax","version":"one","abi":{"major":1},"library":"l.so","sha256":")" + kSha + "\"}",
             "version"},
        Case{R"({"id":"x","kind":"tax","version":"1.0.0","library":"l.so","sha256":")" + kSha + "\"}", "abi"},
        Case{R"({"id":"x","kind":"tax","version":"1.0.0","abi":{"major":1},"library":"../l.so","sha256":")" + kSha +
                 "\"}",
             "library"},
        Case{R"({"id":"x","kind":"tax","version":"1.0.0","abi":{"major":1},"library":"l.so","sha256":"abc"})",
             "sha256"},
        Case{R"({"id":"Bad Id","kind":"tax","version":"1.0.0","abi":{"major":1},"library":"l.so","sha256":")" + kSha +
                 "\"}",
             "id"}}) {
    auto m = PluginManifest::parse(c.json);
    ASSERT_FALSE(m) << c.json;
    EXPECT_NE(m.error().message.find(c.field), std::string::npos) << m.error().message;
  }
}

}  // namespace
}  // namespace ordersvc::plugins
