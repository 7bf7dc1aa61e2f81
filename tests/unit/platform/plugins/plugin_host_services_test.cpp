#include "platform/plugins/plugin_host_services.h"

#include <cstring>

#include <gtest/gtest.h>

#include "osp/osp.h"

namespace ordersvc::plugins {
namespace {

osp_str str(const char* s) {
  return osp_str{s, std::strlen(s)};
}

TEST(PluginHostServicesTest, PluginMetricsAppearWithPluginLabelsThePluginCannotOverride) {
  metrics::MetricsRegistry metrics;
  PluginHostServices services("sii-cl", "2.1.0", 0, {}, HostEnvironment{&metrics, nullptr, nullptr, "test"});
  const osp_host* host = services.table();
  const auto* table = static_cast<const osp_metrics_v1*>(host->get_service(host, OSP_SERVICE_METRICS_V1));
  ASSERT_NE(table, nullptr);
  table->counter_add(host, str("folios_issued_total"), str(R"({"document_type":"33"})"), 2);
  table->counter_add(host, str("folios_issued_total"), str(R"({"document_type":"33"})"), 1);
  table->gauge_set(host, str("caf_remaining"), str(""), 480);
  table->histogram_observe(host, str("sii_upload_seconds"), str(""), 0.3);
  table->counter_add(host, str("Bad-Name"), str(""), 1);                            // ignored
  table->counter_add(host, str("sneaky_total"), str(R"({"plugin":"stripe"})"), 1);  // ignored
  table->counter_add(host, str("negative_total"), str(""), -5);                     // counters only go up
  const std::string text = metrics.render();
  EXPECT_NE(
      text.find(
          "ordersvc_plugin_folios_issued_total{document_type=\"33\",plugin=\"sii-cl\",plugin_version=\"2.1.0\"} 3"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("ordersvc_plugin_caf_remaining{plugin=\"sii-cl\",plugin_version=\"2.1.0\"} 480"),
            std::string::npos);
  EXPECT_NE(text.find("ordersvc_plugin_sii_upload_seconds_count{plugin=\"sii-cl\",plugin_version=\"2.1.0\"} 1"),
            std::string::npos);
  EXPECT_EQ(text.find("Bad-Name"), std::string::npos);
  EXPECT_EQ(text.find("sneaky_total"), std::string::npos);
  EXPECT_EQ(text.find("negative_total"), std::string::npos);
}

TEST(PluginHostServicesTest, ClockAndDeadlineAndAbsentServices) {
  PluginHostServices services("x", "1.0.0", 0, {}, HostEnvironment{});
  const osp_host* host = services.table();
  EXPECT_EQ(host->abi_major, OSP_ABI_MAJOR);
  const int64_t now = host->now_unix_ms(host);
  EXPECT_GT(now, 1'700'000'000'000);
  CallState state;
  osp_call_ctx future{sizeof(osp_call_ctx), {}, {}, {}, {}, now + 60'000, &state};
  osp_call_ctx past{sizeof(osp_call_ctx), {}, {}, {}, {}, now - 1, &state};
  EXPECT_EQ(host->is_expired(host, &future), 0);
  EXPECT_EQ(host->is_expired(host, &past), 1);
  state.cancelled = true;
  EXPECT_EQ(host->is_expired(host, &future), 1);  // cancellation counts as expiry
  // Services the host was not given are absent, not broken.
  EXPECT_EQ(host->get_service(host, OSP_SERVICE_KV_V1), nullptr);
  EXPECT_EQ(host->get_service(host, OSP_SERVICE_HTTP_V1), nullptr);
  EXPECT_EQ(host->get_service(host, "osp.nonexistent/9"), nullptr);
}

}  // namespace
}  // namespace ordersvc::plugins
