#include "platform/plugins/plugin_registry.h"

#include <gtest/gtest.h>

#include "osp/osp.h"
#include "plugin_fixture_dirs.h"

namespace ordersvc::testing {
namespace {

using plugins::PluginRecord;
using plugins::PluginRegistry;

TEST(PluginRegistryTest, LoadsAGoodPluginAndExposesItsInterfaces) {
  PluginRegistry registry({fixtureCase("good")}, {});
  const auto report = registry.reload();
  EXPECT_EQ(report.loaded, std::vector<std::string>{"echo@1.0.0"});
  EXPECT_TRUE(report.refused.empty());
  const auto library = registry.find("echo", "1.0.0");
  ASSERT_NE(library, nullptr);
  EXPECT_NE(library->factory(), nullptr);
  EXPECT_NE(library->interface(OSP_INTERFACE_TAX_V1), nullptr);
  EXPECT_EQ(library->interface(OSP_INTERFACE_PAYMENT_V1), nullptr);
  EXPECT_EQ(library->negotiatedMinor(), OSP_ABI_MINOR);
  // A second scan finds nothing new and keeps the same library.
  EXPECT_TRUE(registry.reload().loaded.empty());
  EXPECT_EQ(registry.find("echo", "1.0.0"), library);
}

struct RefusalCase {
  std::string caseName;
  std::vector<std::string> reasonParts;
};

class PluginRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(PluginRefusalTest, IsRefusedWithAReasonNamingBothSidesAndTheHostGoesOn) {
  PluginRegistry registry({fixtureCase(GetParam().caseName), fixtureCase("good")}, {});
  const auto report = registry.reload();
  ASSERT_EQ(report.refused.size(), 1u) << GetParam().caseName;
  const auto records = registry.list();
  const PluginRecord* refused = nullptr;
  for (const auto& r : records) {
    if (r.state == PluginRecord::State::Refused) refused = &r;
  }
  ASSERT_NE(refused, nullptr);
  for (const auto& part : GetParam().reasonParts) {
    EXPECT_NE(refused->reason.find(part), std::string::npos) << "reason: " << refused->reason << "\nmissing: " << part;
  }
  // The good plugin beside it still loads.
  EXPECT_NE(registry.find("echo", "1.0.0"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PluginRefusalTest,
                         ::testing::Values(RefusalCase{"bad-magic", {"bad magic", "0xDEADBEEF", "0x3150534F"}},
                                           RefusalCase{"abi-major-2", {"ABI major 2", "host speaks ABI major 1"}},
                                           RefusalCase{"newer-minor", {"requires ABI 1.7", "host speaks ABI 1.0"}},
                                           RefusalCase{"missing-symbol", {"missing symbol", "osp_plugin_entry_v1"}},
                                           RefusalCase{"init-fails", {"init failed", "init-fails@1.0.0", "status 8"}},
                                           RefusalCase{"negotiate-refuses",
                                                       {"negotiation failed", "host offered ABI 1.0"}}),
                         [](const auto& info) {
                           std::string name = info.param.caseName;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(PluginRegistryTest, IdentityMismatchBetweenLibraryAndManifestIsRefused) {
  PluginRegistry registry({fixtureCase("id-mismatch")}, {});
  const auto report = registry.reload();
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_NE(report.refused[0].find("library says other@1.0.0, plugin.json says echo@1.0.0"), std::string::npos)
      << report.refused[0];
}

TEST(PluginRegistryTest, MalformedManifestIsRefusedWithoutLoadingTheLibrary) {
  const std::string dir = pluginsDirWith({"good/echo/1.0.0"});
  writeFile(dir + "/echo/1.0.0/plugin.json", "{\"id\": \"echo\", ");
  PluginRegistry registry({dir}, {});
  const auto report = registry.reload();
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_NE(report.refused[0].find("malformed plugin.json"), std::string::npos) << report.refused[0];
}

TEST(PluginRegistryTest, ChecksumMismatchIsRefused) {
  const std::string dir = pluginsDirWith({"good/echo/1.0.0"});
  const std::string library = dir + "/echo/1.0.0/libecho.so";
  writeFile(library, readFile(library) + "tampered");
  PluginRegistry registry({dir}, {});
  const auto report = registry.reload();
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_NE(report.refused[0].find("checksum mismatch"), std::string::npos) << report.refused[0];
  EXPECT_NE(report.refused[0].find("plugin.json expects"), std::string::npos);
}

TEST(PluginRegistryTest, AVersionChangedInPlaceIsRefusedButTheLoadedOneKeepsServing) {
  const std::string dir = pluginsDirWith({"good/echo/1.0.0"});
  PluginRegistry registry({dir}, {});
  registry.reload();
  const auto loaded = registry.find("echo", "1.0.0");
  ASSERT_NE(loaded, nullptr);
  const std::string library = dir + "/echo/1.0.0/libecho.so";
  // Overwriting a mapped library in place (what `cp` does) would crash a process that
  // dlopened the file itself; the host maps its own sealed copy, so this is harmless.
  writeFile(library, readFile(library) + "rebuilt");
  const auto report = registry.reload();
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_EQ(registry.find("echo", "1.0.0"), loaded);  // still listed and still serving
  EXPECT_EQ(registry.versionsOf("echo").size(), 1u);
  std::string schema;
  struct Out {
    osp_sink sink{};
    std::string* text;
  } out{{}, &schema};
  out.sink.struct_size = sizeof(osp_sink);
  out.sink.host_data = &out;
  out.sink.write = [](const osp_sink* s, osp_bytes b) {
    static_cast<Out*>(s->host_data)->text->append(reinterpret_cast<const char*>(b.ptr), b.len);
  };
  out.sink.set_error = [](const osp_sink*, osp_status, osp_str, osp_str) {};
  EXPECT_EQ(loaded->factory()->get_config_schema(&out.sink), OSP_OK);
  EXPECT_NE(schema.find("api_key"), std::string::npos);
}

TEST(PluginRegistryTest, TruncatedLibraryWithMatchingChecksumIsRefusedBeforeMapping) {
  const std::string dir = pluginsDirWith({"good/echo/1.0.0"});
  const std::string library = dir + "/echo/1.0.0/libecho.so";
  const std::string bytes = readFile(library);
  writeFile(library, bytes.substr(0, bytes.size() / 3));
  // Re-sign the manifest so only the truncation itself can stop it.
  std::string manifest = readFile(dir + "/echo/1.0.0/plugin.json");
  const auto at = manifest.find("\"sha256\": \"") + 11;
  manifest.replace(at, 64, *plugins::sha256OfFile(library));
  writeFile(dir + "/echo/1.0.0/plugin.json", manifest);
  PluginRegistry registry({dir}, {});
  const auto report = registry.reload();
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_NE(report.refused[0].find("truncated library"), std::string::npos) << report.refused[0];
}

TEST(PluginRegistryTest, ManifestDeclaringAnotherAbiIsRefusedBeforeLoading) {
  const std::string dir = pluginsDirWith({"good/echo/1.0.0"});
  std::string manifest = readFile(dir + "/echo/1.0.0/plugin.json");
  manifest.replace(manifest.find("\"major\": 1"), 10, "\"major\": 3");
  writeFile(dir + "/echo/1.0.0/plugin.json", manifest);
  PluginRegistry registry({dir}, {});
  const auto report = registry.reload();
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_NE(report.refused[0].find("plugin.json declares ABI major 3, host speaks ABI major 1"), std::string::npos)
      << report.refused[0];
}

TEST(PluginRegistryTest, SameIdAndVersionInTwoDirectoriesIsADuplicate) {
  const std::string first = pluginsDirWith({"good/echo/1.0.0"});
  const std::string second = pluginsDirWith({"good/echo/1.0.0"});
  PluginRegistry registry({first, second}, {});
  const auto report = registry.reload();
  EXPECT_EQ(report.loaded, std::vector<std::string>{"echo@1.0.0"});
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_NE(report.refused[0].find("duplicate echo@1.0.0: already loaded from " + first), std::string::npos)
      << report.refused[0];
  EXPECT_EQ(registry.find("echo", "1.0.0")->directory(), first + "echo/1.0.0");
}

TEST(PluginRegistryTest, TwoVersionsOfOnePluginLoadSideBySide) {
  PluginRegistry registry({fixtureCase("two-versions")}, {});
  const auto report = registry.reload();
  EXPECT_EQ(report.loaded.size(), 2u);
  const auto versions = registry.versionsOf("echo");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0]->manifest().version.toString(), "1.0.0");
  EXPECT_EQ(versions[1]->manifest().version.toString(), "2.0.0");
  // Distinct images: RTLD_LOCAL kept their symbols apart.
  EXPECT_NE(versions[0]->interface(OSP_INTERFACE_TAX_V1), versions[1]->interface(OSP_INTERFACE_TAX_V1));
  EXPECT_STREQ(versions[0]->entry().version, "1.0.0");
  EXPECT_STREQ(versions[1]->entry().version, "2.0.0");
}

TEST(PluginRegistryTest, NewVersionDroppedInIsLoadedByReloadBesideTheOld) {
  const std::string dir = pluginsDirWith({"two-versions/echo/1.0.0"});
  PluginRegistry registry({dir}, {});
  EXPECT_EQ(registry.reload().loaded, std::vector<std::string>{"echo@1.0.0"});
  const auto old = registry.find("echo", "1.0.0");
  Poco::File(fixtureCase("two-versions/echo/2.0.0")).copyTo(dir + "/echo");
  EXPECT_EQ(registry.reload().loaded, std::vector<std::string>{"echo@2.0.0"});
  EXPECT_EQ(registry.find("echo", "1.0.0"), old);
  EXPECT_NE(registry.find("echo", "2.0.0"), nullptr);
}

}  // namespace
}  // namespace ordersvc::testing
