#include "plugin_test_fixture.h"

#include <dlfcn.h>

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Query.h>
#include <Poco/JSON/Stringifier.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>

#include "capture_sink.h"

namespace ordersvc::testing {

using Poco::JSON::Object;

namespace {

osp_str str(const std::string& text) {
  return osp_str{text.data(), text.size()};
}

}  // namespace

std::string pluginDir(const std::string& id) {
  return std::string(ORDERSVC_PLUGINS_DIR) + "/" + id + "/" + kBundledVersion;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string base64Decode(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  return std::string(std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>());
}

Object::Ptr parseJson(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Object::Ptr>();
}

Poco::Dynamic::Var at(const Object::Ptr& object, const std::string& path) {
  return Poco::JSON::Query(object).find(path);
}

int64_t intAt(const Object::Ptr& object, const std::string& path) {
  return at(object, path).convert<Poco::Int64>();
}

std::string strAt(const Object::Ptr& object, const std::string& path) {
  return at(object, path).toString();
}

std::string jsonAt(const Object::Ptr& object, const std::string& path) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(at(object, path), out);
  return canonical(out.str());
}

std::string canonical(const std::string& json) {
  Poco::JSON::Parser parser;  // objects it builds sort their keys
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(parser.parse(json), out);
  return out.str();
}

std::string money(int64_t value, const std::string& currency) {
  return R"({"value":)" + std::to_string(value) + R"(,"currency":")" + currency + R"("})";
}

osp_bytes bytes(const std::string& text) {
  return osp_bytes{reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

CallContext::CallContext(std::string organization, std::string idempotencyKey)
    : organization_(std::move(organization)), key_(std::move(idempotencyKey)) {
  ctx_.struct_size = sizeof(osp_call_ctx);
  ctx_.organization_id = str(organization_);
  ctx_.instance_id = str(instance_);
  ctx_.request_id = str(request_);
  ctx_.idempotency_key = str(key_);
}

void PluginTest::TearDown() {
  if (factory_ != nullptr) {
    for (osp_instance* instance : instances_) factory_->destroy_instance(instance);
  }
  instances_.clear();
  if (initialized_) entry_->deinit();
  if (handle_ != nullptr) dlclose(handle_);
}

void PluginTest::load(const std::string& id) {
  const std::string path = pluginDir(id) + "/lib" + id + ".so";
  handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle_, nullptr) << dlerror();
  auto entryFn = reinterpret_cast<osp_plugin_entry_fn>(dlsym(handle_, OSP_ENTRY_SYMBOL_V1));
  ASSERT_NE(entryFn, nullptr);
  entry_ = entryFn();
  ASSERT_NE(entry_, nullptr);
  ASSERT_EQ(entry_->magic, OSP_MAGIC);
  ASSERT_GE(entry_->struct_size, sizeof(osp_plugin_entry));
  ASSERT_EQ(entry_->abi_major, OSP_ABI_MAJOR);
  uint32_t minor = OSP_ABI_MINOR;
  ASSERT_EQ(entry_->negotiate(&minor), OSP_OK);
  ASSERT_EQ(entry_->init(host_.host(), pluginDir(id).c_str()), OSP_OK);
  initialized_ = true;
  factory_ = static_cast<const osp_factory_v1*>(entry_->get_interface(OSP_INTERFACE_FACTORY_V1));
  ASSERT_NE(factory_, nullptr);
  payment_ = static_cast<const osp_payment_v1*>(entry_->get_interface(OSP_INTERFACE_PAYMENT_V1));
  carrier_ = static_cast<const osp_carrier_v1*>(entry_->get_interface(OSP_INTERFACE_CARRIER_V1));
  tax_ = static_cast<const osp_tax_v1*>(entry_->get_interface(OSP_INTERFACE_TAX_V1));
}

osp_instance* PluginTest::createInstance(const std::string& config, const std::string& organization) {
  const CallContext ctx(organization, "");
  CaptureSink err;
  osp_instance* instance = nullptr;
  const osp_status status = factory_->create_instance(ctx.get(), bytes(config), &instance, err.sink());
  EXPECT_EQ(status, OSP_OK) << err.errorCode() << ": " << err.errorMessage();
  if (instance != nullptr) instances_.push_back(instance);
  return instance;
}

CallResult PluginTest::createInstanceFailure(const std::string& config) {
  const CallContext ctx("org_1", "");
  CaptureSink err;
  osp_instance* instance = nullptr;
  CallResult out;
  out.status = factory_->create_instance(ctx.get(), bytes(config), &instance, err.sink());
  EXPECT_EQ(instance == nullptr, out.status != OSP_OK);
  if (instance != nullptr) instances_.push_back(instance);
  out.errorSet = err.hasError();
  out.errorCode = err.errorCode();
  out.errorMessage = err.errorMessage();
  return out;
}

CallResult PluginTest::validateConfig(const std::string& config) {
  CaptureSink out;
  CallResult result;
  result.status = factory_->validate_config(bytes(config), out.sink());
  result.json = out.output();
  return result;
}

std::set<std::string> PluginTest::problemPaths(const std::string& config) {
  const CallResult result = validateConfig(config);
  EXPECT_EQ(result.status, OSP_OK);
  const Object::Ptr body = result.body();
  EXPECT_FALSE(body->getValue<bool>("valid")) << result.json;
  std::set<std::string> paths;
  const Poco::JSON::Array::Ptr errors = body->getArray("errors");
  for (std::size_t i = 0; i < errors->size(); ++i) paths.insert(errors->getObject(i)->getValue<std::string>("path"));
  return paths;
}

osp_operation_fn PluginTest::operation(const std::string& name) const {
  if (payment_ != nullptr) {
    if (name == "payment.sale") return payment_->sale;
    if (name == "payment.refund") return payment_->refund;
    if (name == "payment.sync") return payment_->sync;
  }
  if (carrier_ != nullptr) {
    if (name == "carrier.list_services") return carrier_->list_services;
    if (name == "carrier.quote_rates") return carrier_->quote_rates;
    if (name == "carrier.create_shipment") return carrier_->create_shipment;
    if (name == "carrier.cancel_shipment") return carrier_->cancel_shipment;
    if (name == "carrier.track") return carrier_->track;
  }
  if (tax_ != nullptr) {
    if (name == "tax.calculate") return tax_->calculate;
    if (name == "tax.commit") return tax_->commit;
    if (name == "tax.void") return tax_->void_transaction;
  }
  return nullptr;
}

CallResult PluginTest::call(const std::string& name, osp_instance* instance, const std::string& request,
                            const std::string& idempotencyKey, const std::string& organization) {
  const osp_operation_fn fn = operation(name);
  EXPECT_NE(fn, nullptr) << name;
  if (fn == nullptr) return CallResult{OSP_E_UNSUPPORTED, {}, false, {}, {}};
  const CallContext ctx(organization, idempotencyKey);
  CaptureSink out;
  CallResult result;
  result.status = fn(instance, ctx.get(), bytes(request), out.sink());
  result.json = out.output();
  result.errorSet = out.hasError();
  result.errorCode = out.errorCode();
  result.errorMessage = out.errorMessage();
  if (result.status == OSP_OK) {
    EXPECT_FALSE(result.errorSet) << result.errorCode << ": " << result.errorMessage;
  } else {
    EXPECT_TRUE(result.errorSet);
    EXPECT_EQ(out.errorStatus(), result.status);
    EXPECT_TRUE(result.json.empty()) << result.json;
  }
  dump(name, request, result);
  return result;
}

void PluginTest::expectRejectsMalformed(const std::string& name, osp_instance* instance) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::vector<std::string> inputs = {
      "",
      "not json",
      "[]",
      "{",
      "null",
      "42",
      "\"text\"",
      std::string("{\"a\"\0:1}", 8),
      "{\"amount\":1.5}",
      R"({"amount":{"value":99999999999999999999,"currency":"USD"}})",
      "{\"x\":" + deep + "}",
      "\xff\xfe{}",
  };
  for (const std::string& input : inputs) {
    const CallResult result = call(name, instance, input);
    EXPECT_EQ(result.status, OSP_E_INVALID_ARGUMENT) << name << " accepted: " << input.substr(0, 60);
    EXPECT_EQ(result.errorCode, "request.invalid");
  }
  // A NULL pointer with length 0 is a valid (empty) view.
  CaptureSink out;
  const CallContext ctx("org_1", "k");
  EXPECT_EQ(operation(name)(instance, ctx.get(), osp_bytes{nullptr, 0}, out.sink()), OSP_E_INVALID_ARGUMENT);
}

void PluginTest::dump(const std::string& name, const std::string& request, const CallResult& result) {
  const char* file = std::getenv("ORDERSVC_PLUGIN_TEST_DUMP");
  if (file == nullptr || result.status != OSP_OK) return;
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  Object line;
  line.set("operation", name);
  line.set("request", request);
  line.set("response", result.json);
  std::ofstream out(file, std::ios::app);
  line.stringify(out);
  out << "\n";
}

}  // namespace ordersvc::testing
