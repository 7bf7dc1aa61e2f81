// Loads the out-of-tree example plugin (examples/third-party-carrier, built against the
// installed SDK by out_of_tree_test.sh) with the real host registry and calls it through
// plugins::PluginInstances, exactly as the service would.
//
//   ordersvc_sdk_plugin_check <plugins_dir>     (<plugins_dir>/acme-freight/0.3.0/)
//
// Exit status 0 when every check passed; each failed check is printed.
#include <cstdlib>
#include <iostream>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "platform/metrics/metrics_registry.h"
#include "platform/plugins/plugin_instances.h"
#include "platform/plugins/plugin_registry.h"

namespace {

using namespace ordersvc;

int failures = 0;

#define CHECK(condition, what)                                                           \
  do {                                                                                   \
    if (condition) {                                                                     \
      std::cout << "ok    " << (what) << "\n";                                           \
    } else {                                                                             \
      ++failures;                                                                        \
      std::cout << "FAIL  " << (what) << "  [" #condition "] line " << __LINE__ << "\n"; \
    }                                                                                    \
  } while (false)

constexpr const char* kId = "acme-freight";
constexpr const char* kVersion = "0.3.0";
constexpr const char* kOrg = "org_sdk";
constexpr const char* kInstance = "acme-main";

plugins::PluginBinding binding() {
  plugins::PluginBinding b;
  b.organizationId = kOrg;
  b.instanceId = kInstance;
  b.pluginId = kId;
  b.kind = "carrier";
  b.versionRange = kVersion;
  b.enabled = true;
  b.publicConfigJson = R"({"rate_per_kg":{"value":250,"currency":"USD"}})";
  return b;
}

plugins::PluginCall call(const std::string& operation, const std::string& request) {
  plugins::PluginCall c;
  c.organizationId = kOrg;
  c.instanceId = kInstance;
  c.operation = operation;
  c.requestJson = request;
  c.requestId = "req-sdk-1";
  c.idempotencyKey = "idem-sdk-1";
  return c;
}

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

void run(const std::string& pluginsDir) {
  metrics::MetricsRegistry metrics;
  plugins::PluginRegistry registry({pluginsDir}, plugins::HostEnvironment{&metrics});
  const plugins::ReloadReport report = registry.reload();
  for (const auto& refused : report.refused) std::cout << "refused: " << refused << "\n";
  CHECK(report.refused.empty(), "no plugin under " + pluginsDir + " is refused");
  bool listedLoaded = false;
  for (const auto& record : registry.list()) {
    if (record.id == kId && record.version == kVersion) {
      listedLoaded = record.state == plugins::PluginRecord::State::Loaded;
      if (!listedLoaded) std::cout << "acme-freight@0.3.0 refused: " << record.reason << "\n";
    }
  }
  CHECK(listedLoaded, "acme-freight@0.3.0 is listed as loaded");
  const auto library = registry.find(kId, kVersion);
  CHECK(library != nullptr, "registry.find(acme-freight, 0.3.0)");
  if (!library) return;
  CHECK(library->manifest().kind == "carrier", "manifest kind is carrier");

  plugins::PluginInstances instances(registry, metrics);

  // A configuration the plugin refuses never becomes an instance.
  const Status refused = instances.activate(binding(), R"({"rate_per_kg":{"value":2.5,"currency":"USD"}})");
  CHECK(!refused, "a fractional rate_per_kg is refused at activation");
  if (!refused) std::cout << "      " << refused.error().toString() << "\n";

  const Status activated = instances.activate(binding(), binding().publicConfigJson);
  if (!activated) std::cout << "activate: " << activated.error().toString() << "\n";
  CHECK(activated, "instance activated with rate_per_kg 250 USD");
  if (!activated) return;

  // 1500 g + 700 g = 2200 g -> 3 started kilograms -> 3 * 250 = 750.
  auto quote =
      instances.call(call("carrier.quote_rates", R"({"ship_to":{"country":"US","postal_code":"94105"},)"
                                                 R"("parcels":[{"weight_grams":1500},{"weight_grams":700}]})"));
  if (!quote) std::cout << "quote_rates: " << quote.error().toString() << "\n";
  CHECK(quote.has_value(), "carrier.quote_rates answers");
  if (quote) {
    CHECK(quote->pluginId == kId && quote->version == kVersion, "served by acme-freight@0.3.0");
    std::cout << "      " << quote->json << "\n";
    auto result = parseObject(quote->json);
    auto rates = result->getArray("rates");
    CHECK(rates && rates->size() == 2, "two rates (ground, express)");
    for (std::size_t i = 0; rates && i < rates->size(); ++i) {
      auto rate = rates->getObject(static_cast<unsigned>(i));
      auto amount = rate->getObject("amount");
      const std::string code = rate->getValue<std::string>("service_code");
      CHECK(amount->getValue<int64_t>("value") == 750, code + " costs 3 kg * 250 = 750");
      CHECK(amount->getValue<std::string>("currency") == "USD", code + " is priced in USD");
      CHECK(rate->getObject("provider_data")->getValue<int64_t>("billable_kg") == 3, code + " bills 3 kg");
    }
    auto unavailable = result->getArray("unavailable");
    CHECK(unavailable && unavailable->size() == 0, "nothing unavailable");
  }

  auto filtered =
      instances.call(call("carrier.quote_rates", R"({"ship_to":{"country":"US"},"parcels":[{"weight_grams":1}],)"
                                                 R"("services":["express","teleport"]})"));
  CHECK(filtered.has_value(), "carrier.quote_rates with a services filter answers");
  if (filtered) {
    auto result = parseObject(filtered->json);
    CHECK(result->getArray("rates")->size() == 1 &&
              result->getArray("rates")->getObject(0)->getObject("amount")->getValue<int64_t>("value") == 250,
          "1 g is one started kilogram: express costs 250");
    CHECK(result->getArray("unavailable")->size() == 1 &&
              result->getArray("unavailable")->getObject(0)->getValue<std::string>("reason") == "unknown_service",
          "an unknown service code is listed as unavailable");
  }

  auto services = instances.call(call("carrier.list_services", "{}"));
  CHECK(services.has_value(), "carrier.list_services answers");
  if (services) CHECK(parseObject(services->json)->getArray("services")->size() == 2, "two services listed");

  // Invalid requests are clean refusals (OSP_E_INVALID_ARGUMENT), not faults.
  for (const std::string& bad :
       {std::string(R"({"ship_to":{"country":"US"},"parcels":[]})"),
        std::string(R"({"ship_to":{"country":"US"},"parcels":[{"weight_grams":"1500"}]})"),
        std::string(R"({"parcels":[{"weight_grams":1500}]})"),
        std::string(R"({"ship_to":{"country":"US"},"parcels":[{"weight_grams":1500}])"), std::string(R"([1,2,3])")}) {
    auto result = instances.call(call("carrier.quote_rates", bad));
    CHECK(!result && result.error().code == ErrorCode::Unprocessable &&
              result.error().message.find("request.invalid") != std::string::npos,
          "invalid request refused as request.invalid: " + bad);
  }
  CHECK(instances.status(kOrg, kInstance).state == "active", "instance still active after the refusals");

  // Operations the plugin does not offer are absent from the table.
  auto unsupported = instances.call(call("carrier.track", "{}"));
  CHECK(!unsupported && unsupported.error().code == ErrorCode::Unprocessable, "carrier.track is not offered");

  instances.deactivate(kOrg, kInstance);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <plugins_dir>\n";
    return 2;
  }
  try {
    run(argv[1]);
  } catch (const std::exception& e) {
    std::cout << "FAIL  exception: " << e.what() << "\n";
    ++failures;
  }
  std::cout << (failures == 0 ? "all checks passed\n" : std::to_string(failures) + " check(s) failed\n");
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
