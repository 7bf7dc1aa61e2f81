// Costs of the plugin ABI, with Google Benchmark:
//   BM_TaxCallThroughAbi    one tax.calculate through PluginInstances::call with a
//                           10-line JSON request: encode the request, call across the
//                           C ABI, and decode (parse) the JSON result
//   BM_LoadPlugin           load + verify (sha256, ELF) + init of one plugin version
//   BM_SwapUnderLoad        the pause a caller sees while another thread swaps the
//                           instance to a new configuration (p50/p99 in counters)
// Usage: plugin_call_bench <plugins_dir> <plugin_id> [benchmark flags]
// The plugins dir holds <id>/<version>/; the plugin must implement tax.calculate and
// accept "{}" as configuration (the bundled rate-table plugin, or the echo fixture).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "osp/osp.h"
#include "platform/logging/log.h"
#include "platform/plugins/plugin_instances.h"
#include "platform/plugins/plugin_registry.h"

namespace {

using namespace ordersvc;

std::string gPluginsDir;
std::string gPluginId;
std::string gConfig = "{}";

// Encodes a 10-line tax request the way a fast caller would (RapidJSON writer).
std::string tenLineRequest() {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("currency");
  w.String("CLP");
  w.Key("ship_to");
  w.StartObject();
  w.Key("country");
  w.String("CL");
  w.EndObject();
  w.Key("lines");
  w.StartArray();
  for (int i = 0; i < 10; ++i) {
    const std::string id = "line_" + std::to_string(i);
    w.StartObject();
    w.Key("id");
    w.String(id.c_str());
    w.Key("quantity");
    w.Int(1 + i % 3);
    w.Key("amount");
    w.StartObject();
    w.Key("value");
    w.Int64(1990 + i * 100);
    w.Key("currency");
    w.String("CLP");
    w.EndObject();
    w.Key("tax_class");
    w.String("standard");
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

plugins::PluginBinding benchBinding() {
  plugins::PluginBinding binding;
  binding.organizationId = "org_bench";
  binding.instanceId = "tax";
  binding.pluginId = gPluginId;
  binding.versionRange = "*";
  return binding;
}

void BM_TaxCallThroughAbi(benchmark::State& state) {
  metrics::MetricsRegistry metrics;
  plugins::PluginRegistry registry({gPluginsDir}, {&metrics});
  registry.reload();
  plugins::PluginInstances instances(registry, metrics);
  const plugins::PluginBinding binding = benchBinding();
  if (!instances.activate(binding, gConfig)) {
    state.SkipWithError("plugin did not activate");
    return;
  }
  for (auto _ : state) {
    plugins::PluginCall call{"org_bench", "tax",   "tax.calculate",        tenLineRequest(),
                             "bench",     "bench", std::chrono::seconds(5)};  // encode
    auto result = instances.call(call);                                       // call through the ABI
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      return;
    }
    rapidjson::Document decoded;  // decode, as a caller would
    decoded.Parse(result->json.data(), result->json.size());
    benchmark::DoNotOptimize(decoded.IsObject());
  }
}
BENCHMARK(BM_TaxCallThroughAbi)->Unit(benchmark::kMicrosecond);

// The ABI crossing alone: the operation's function pointer called with a prepared
// context and a sink that appends to a string; no JSON work on the host side.
void BM_RawAbiCrossing(benchmark::State& state) {
  plugins::PluginRegistry registry({gPluginsDir}, {});
  registry.reload();
  const auto versions = registry.versionsOf(gPluginId);
  if (versions.empty()) {
    state.SkipWithError("plugin not loaded");
    return;
  }
  const auto& library = versions.back();
  osp_call_ctx ctx{sizeof(osp_call_ctx), {"org", 3}, {"tax", 3}, {"req", 3}, {"idem", 4}, 0, nullptr};
  osp_instance* instance = nullptr;
  struct Out {
    osp_sink sink{};
    std::string text;
  } out;
  out.sink.struct_size = sizeof(osp_sink);
  out.sink.host_data = &out;
  out.sink.write = [](const osp_sink* s, osp_bytes b) {
    static_cast<Out*>(s->host_data)->text.append(reinterpret_cast<const char*>(b.ptr), b.len);
  };
  out.sink.set_error = [](const osp_sink*, osp_status, osp_str, osp_str) {};
  library->factory()->create_instance(&ctx, osp_bytes{reinterpret_cast<const uint8_t*>(gConfig.data()), gConfig.size()},
                                      &instance, &out.sink);
  const auto* tax = static_cast<const osp_tax_v1*>(library->interface(OSP_INTERFACE_TAX_V1));
  const std::string request = tenLineRequest();
  for (auto _ : state) {
    out.text.clear();
    tax->calculate(instance, &ctx, osp_bytes{reinterpret_cast<const uint8_t*>(request.data()), request.size()},
                   &out.sink);
    benchmark::DoNotOptimize(out.text.data());
  }
  library->factory()->destroy_instance(instance);
}
BENCHMARK(BM_RawAbiCrossing)->Unit(benchmark::kMicrosecond);

void BM_LoadPlugin(benchmark::State& state) {
  for (auto _ : state) {
    plugins::PluginRegistry registry({gPluginsDir}, {});
    const auto report = registry.reload();
    benchmark::DoNotOptimize(report);
  }
}
BENCHMARK(BM_LoadPlugin)->Unit(benchmark::kMicrosecond);

void BM_SwapUnderLoad(benchmark::State& state) {
  metrics::MetricsRegistry metrics;
  plugins::PluginRegistry registry({gPluginsDir}, {&metrics});
  registry.reload();
  plugins::PluginInstances instances(registry, metrics);
  const plugins::PluginBinding binding = benchBinding();
  (void)instances.activate(binding, gConfig);
  const std::string request = tenLineRequest();
  std::atomic<bool> stop{false};
  std::vector<double> latencies;
  std::thread caller([&] {
    while (!stop.load()) {
      const auto started = std::chrono::steady_clock::now();
      plugins::PluginCall call{"org_bench", "tax", "tax.calculate", request, "bench", "bench", std::chrono::seconds(5)};
      (void)instances.call(call);
      latencies.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count());
    }
  });
  for (auto _ : state) {
    (void)instances.activate(binding, gConfig);  // a configuration change: new instance, atomic swap
  }
  stop = true;
  caller.join();
  std::sort(latencies.begin(), latencies.end());
  if (!latencies.empty()) {
    state.counters["caller_p50_us"] = latencies[latencies.size() / 2];
    state.counters["caller_p99_us"] = latencies[latencies.size() * 99 / 100];
    state.counters["caller_max_us"] = latencies.back();
  }
}
BENCHMARK(BM_SwapUnderLoad)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <plugins_dir> <plugin_id> [config_json] [benchmark flags]\n", argv[0]);
    return 64;
  }
  gPluginsDir = argv[1];
  gPluginId = argv[2];
  int skip = 2;
  if (argc > 3 && argv[3][0] == '{') {
    gConfig = argv[3];
    skip = 3;
  }
  ordersvc::logging::configure(ordersvc::logging::Level::Warn, ordersvc::logging::Format::Text);
  argv[skip] = argv[0];
  int rest = argc - skip;
  benchmark::Initialize(&rest, argv + skip);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
