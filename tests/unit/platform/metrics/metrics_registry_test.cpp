#include "platform/metrics/metrics_registry.h"

#include <thread>

#include <gtest/gtest.h>

namespace ordersvc::metrics {
namespace {

TEST(MetricsRegistryTest, RendersCountersWithLabelsInTextFormat) {
  MetricsRegistry registry;
  registry.counter("x_requests_total", "Requests.", {{"route", "/a"}, {"status", "200"}}).increment();
  registry.counter("x_requests_total", "Requests.", {{"route", "/a"}, {"status", "200"}}).increment(2);
  registry.counter("x_requests_total", "Requests.", {{"route", "/b\"q"}, {"status", "404"}}).increment();
  const std::string text = registry.render();
  EXPECT_NE(text.find("# HELP x_requests_total Requests.\n# TYPE x_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("x_requests_total{route=\"/a\",status=\"200\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_requests_total{route=\"/b\\\"q\",status=\"404\"} 1\n"), std::string::npos) << text;
}

TEST(MetricsRegistryTest, HistogramBucketsAreCumulative) {
  MetricsRegistry registry;
  auto& histogram = registry.histogram("x_seconds", "Latency.", {}, {0.1, 1.0});
  histogram.observe(0.05);
  histogram.observe(0.5);
  histogram.observe(5);
  const std::string text = registry.render();
  EXPECT_NE(text.find("x_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_bucket{le=\"1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_count 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_sum 5.55\n"), std::string::npos) << text;
}

TEST(MetricsRegistryTest, OneNameHasOneType) {
  MetricsRegistry registry;
  registry.counter("x_total", "X.");
  EXPECT_THROW(registry.gauge("x_total", "X."), std::logic_error);
}

TEST(MetricsRegistryTest, ConcurrentIncrementsAreNotLost) {
  MetricsRegistry registry;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&registry] {
      for (int i = 0; i < 10000; ++i) registry.counter("x_total", "X.", {{"k", "v"}}).increment();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(registry.counter("x_total", "X.", {{"k", "v"}}).value(), 40000);
}

TEST(MetricsRegistryTest, CollectorsWriteAtScrapeTime) {
  MetricsRegistry registry;
  int calls = 0;
  registry.addCollector([&calls](ExpositionWriter& writer) {
    ++calls;
    writer.family("x_pool", "gauge", "Pool.");
    writer.sample("x_pool", {{"state", "idle"}}, calls);
  });
  EXPECT_NE(registry.render().find("x_pool{state=\"idle\"} 1\n"), std::string::npos);
  EXPECT_NE(registry.render().find("x_pool{state=\"idle\"} 2\n"), std::string::npos);
}

}  // namespace
}  // namespace ordersvc::metrics
