#pragma once

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fake_plugin_host.h"
#include "osp/osp.h"

namespace ordersvc::testing {

// Helpers for tests that load a plugin library from the build tree and talk to it through
// the C ABI only, as the host does. ORDERSVC_PLUGINS_DIR (a compile definition) is the
// build's plugins directory: <dir>/<id>/<version>/lib<id>.so beside plugin.json.

inline constexpr char kBundledVersion[] = "1.0.0";

std::string pluginDir(const std::string& id);
std::string readFile(const std::string& path);
std::string base64Decode(const std::string& text);

Poco::JSON::Object::Ptr parseJson(const std::string& text);
// Values at a Poco::JSON::Query path such as "lines[0].tax_amount.value".
Poco::Dynamic::Var at(const Poco::JSON::Object::Ptr& object, const std::string& path);
int64_t intAt(const Poco::JSON::Object::Ptr& object, const std::string& path);
std::string strAt(const Poco::JSON::Object::Ptr& object, const std::string& path);
// The value at `path` as canonical JSON (see canonical()).
std::string jsonAt(const Poco::JSON::Object::Ptr& object, const std::string& path);
// JSON text with keys sorted and no spaces, for comparing objects whatever their key order.
std::string canonical(const std::string& json);
// {"value":<value>,"currency":"<currency>"}
std::string money(int64_t value, const std::string& currency);

osp_bytes bytes(const std::string& text);

// The strings an osp_call_ctx borrows, kept alive beside it.
class CallContext {
 public:
  CallContext(std::string organization, std::string idempotencyKey);
  CallContext(const CallContext&) = delete;
  CallContext& operator=(const CallContext&) = delete;
  const osp_call_ctx* get() const { return &ctx_; }

 private:
  std::string organization_;
  std::string key_;
  std::string instance_ = "inst_1";
  std::string request_ = "req_1";
  osp_call_ctx ctx_{};
};

// What one call produced: the status it returned and what it put in the sink.
struct CallResult {
  osp_status status = OSP_OK;
  std::string json;
  bool errorSet = false;
  std::string errorCode;
  std::string errorMessage;

  Poco::JSON::Object::Ptr body() const { return parseJson(json); }
};

// Loads one plugin library per test (dlopen RTLD_NOW|RTLD_LOCAL, entry checks, negotiate,
// init with a FakePluginHost) and unloads it after: destroy instances, deinit, dlclose, as
// the host does when it retires a version.
//
// Set ORDERSVC_PLUGIN_TEST_DUMP=<file> to append every successful call as one JSON line
// {"operation", "request", "response"}; a schema validator can then check the real
// messages against plugin-api/schemas/.
class PluginTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // Use with ASSERT_NO_FATAL_FAILURE.
  void load(const std::string& id);

  // A new instance (destroyed in TearDown); expects success.
  osp_instance* createInstance(const std::string& config, const std::string& organization = "org_1");
  // create_instance expected to fail: its status and error.
  CallResult createInstanceFailure(const std::string& config);
  CallResult validateConfig(const std::string& config);
  // The JSON pointers of validate_config's errors; expects the config to be invalid.
  std::set<std::string> problemPaths(const std::string& config);

  // The table entry for an SDK operation name ("payment.sale"), or NULL.
  osp_operation_fn operation(const std::string& name) const;
  // Calls an operation and checks the sink contract: OK writes a result and no error; a
  // failure sets an error with the returned status and writes no result.
  CallResult call(const std::string& name, osp_instance* instance, const std::string& request,
                  const std::string& idempotencyKey = "key-1", const std::string& organization = "org_1");
  // Every malformed request (not JSON, not an object, bad UTF-8, NUL bytes, absurd depth,
  // floats and out-of-range integers for money) is OSP_E_INVALID_ARGUMENT, code
  // "request.invalid", and the process is still alive afterwards.
  void expectRejectsMalformed(const std::string& name, osp_instance* instance);

  FakePluginHost host_;
  void* handle_ = nullptr;
  const osp_plugin_entry* entry_ = nullptr;
  bool initialized_ = false;
  const osp_factory_v1* factory_ = nullptr;
  const osp_payment_v1* payment_ = nullptr;
  const osp_carrier_v1* carrier_ = nullptr;
  const osp_tax_v1* tax_ = nullptr;
  std::vector<osp_instance*> instances_;

 private:
  static void dump(const std::string& name, const std::string& request, const CallResult& result);
};

}  // namespace ordersvc::testing
