// Fixture "throws": plugin "faulty" 1.0.0 (kind tax), built on the C++ SDK
// (osp/sdk/plugin.hpp), that misbehaves inside its operations while loading normally:
//  - tax.calculate throws std::runtime_error("faulty: calculate always throws"). Expected:
//    the SDK trampoline catches it; the call returns OSP_E_INTERNAL with error code
//    "plugin.exception", one ERROR log line goes through the host, and the host survives.
//  - tax.commit sleeps in 5 ms steps until host->is_expired() reports the call's deadline
//    (or a cancellation), then returns OSP_E_DEADLINE with code "deadline.expired". If the
//    host never expires the call it gives up after about 30 s with OSP_E_INTERNAL
//    "fixture.never_expired", so a broken host fails a test instead of hanging it.
// Flags 0: a faulty plugin is never unmapped, which also covers the "library stays
// mapped" path of the loader.
#include <chrono>
#include <stdexcept>
#include <thread>

#include "osp/sdk/plugin.hpp"

namespace ordersvc::test_plugins {

class FaultyInstance : public osp::sdk::Instance {
 public:
  osp::sdk::Result calculateTax(const osp::sdk::Call&, std::string_view) override {
    throw std::runtime_error("faulty: calculate always throws");
  }

  osp::sdk::Result commitTax(const osp::sdk::Call& call, std::string_view) override {
    constexpr int kSteps = 6000;  // 6000 x 5 ms: counted, since a plugin reads no clock itself
    for (int step = 0; step < kSteps; ++step) {
      if (call.expired()) {
        return osp::sdk::Result::error(OSP_E_DEADLINE, "deadline.expired", "faulty: slept past the deadline");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return osp::sdk::Result::error(OSP_E_INTERNAL, "fixture.never_expired", "faulty: the host never expired the call");
  }
};

class FaultyPlugin : public osp::sdk::Plugin {
 public:
  std::string configSchema() const override { return "{\"type\":\"object\"}"; }
  osp::sdk::Validation validateConfig(std::string_view) const override { return {}; }
  std::unique_ptr<osp::sdk::Instance> createInstance(const osp::sdk::Call&, std::string_view) override {
    return std::make_unique<FaultyInstance>();
  }
  osp::sdk::Operations operations() const override { return {"tax.calculate", "tax.commit"}; }
};

}  // namespace ordersvc::test_plugins

OSP_SDK_PLUGIN(ordersvc::test_plugins::FaultyPlugin, "faulty", "1.0.0", "Faulty (test fixture)", "ordersvc tests", 0u)
