// sdk_cxx17.cpp -- the C++ SDK (osp/sdk/plugin.hpp) compiled as strict C++17
// (-Wall -Wextra -pedantic -Werror) and driven through the C tables it generates, the way
// the host sees it: counted init/deinit, NULL for unlisted operations, a C++ exception
// turned into OSP_E_INTERNAL plus a log line, ConfigError turned into OSP_E_CONFIG.
// (clap-helpers' tests/create-an-actual-plugin.cc plays the same role.)
#include "osp/sdk/plugin.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace {

class SdkInstance : public osp::sdk::Instance {
 public:
  osp::sdk::Result calculateTax(const osp::sdk::Call& call, std::string_view request) override {
    if (request == "throw") throw std::runtime_error("boom");
    return osp::sdk::Result::ok("{\"organization_id\":\"" + std::string(call.organizationId()) + "\"}");
  }
};

class SdkPlugin : public osp::sdk::Plugin {
 public:
  std::string configSchema() const override { return "{\"type\":\"object\"}"; }
  osp::sdk::Validation validateConfig(std::string_view config) const override {
    if (config == "{}" || config == "{\"refuse\":true}") return {};
    return {{"/", "expected {}"}};
  }
  std::unique_ptr<osp::sdk::Instance> createInstance(const osp::sdk::Call&, std::string_view config) override {
    if (config == "{\"refuse\":true}") throw osp::sdk::ConfigError("refused by createInstance");
    return std::make_unique<SdkInstance>();
  }
  osp::sdk::Operations operations() const override { return {"tax.calculate"}; }
};

int failures = 0;
int logLines = 0;

void check(bool ok, const char* what, int line) {
  if (!ok) {
    std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, line, what);
    ++failures;
  }
}
#define CHECK(cond) check((cond), #cond, __LINE__)

struct BufferSink {
  osp_sink sink{};
  std::string text;
  osp_status errorStatus = OSP_OK;
  std::string errorCode;

  BufferSink() {
    sink.struct_size = sizeof(osp_sink);
    sink.host_data = this;
    sink.write = [](const osp_sink* s, osp_bytes chunk) {
      static_cast<BufferSink*>(s->host_data)->text.append(reinterpret_cast<const char*>(chunk.ptr), chunk.len);
    };
    sink.set_error = [](const osp_sink* s, osp_status status, osp_str code, osp_str) {
      auto* self = static_cast<BufferSink*>(s->host_data);
      self->errorStatus = status;
      self->errorCode.assign(code.ptr, code.len);
    };
  }
  BufferSink(const BufferSink&) = delete;
  BufferSink& operator=(const BufferSink&) = delete;
};

osp_bytes bytes(std::string_view text) {
  return osp_bytes{reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

OSP_SDK_PLUGIN(SdkPlugin, "sdk-check", "1.0.0", "SDK check", "ordersvc tests", OSP_FLAG_UNLOAD_SAFE)

int main() {
  const osp_plugin_entry* entry = osp_plugin_entry_v1();
  CHECK(entry->magic == OSP_MAGIC && entry->struct_size == sizeof(osp_plugin_entry));
  CHECK(std::string(entry->id) == "sdk-check" && std::string(entry->version) == "1.0.0");
  CHECK(entry->get_interface(OSP_INTERFACE_FACTORY_V1) == nullptr);  // nothing before init

  uint32_t minor = OSP_ABI_MINOR + 3;
  CHECK(entry->negotiate(&minor) == OSP_OK && minor == OSP_ABI_MINOR);

  osp_host host{};
  host.struct_size = sizeof(osp_host);
  host.abi_major = OSP_ABI_MAJOR;
  host.abi_minor = minor;
  host.log = [](const osp_host*, const osp_call_ctx*, osp_log_level, osp_str) { ++logLines; };
  host.now_unix_ms = [](const osp_host*) -> int64_t { return 0; };
  host.is_expired = [](const osp_host*, const osp_call_ctx*) -> int { return 0; };
  host.get_service = [](const osp_host*, const char*) -> const void* { return nullptr; };
  CHECK(entry->init(&host, "/nonexistent") == OSP_OK);
  CHECK(entry->init(&host, "/nonexistent") == OSP_OK);
  entry->deinit();  // one init left: still usable

  const auto* factory = static_cast<const osp_factory_v1*>(entry->get_interface(OSP_INTERFACE_FACTORY_V1));
  const auto* tax = static_cast<const osp_tax_v1*>(entry->get_interface(OSP_INTERFACE_TAX_V1));
  CHECK(factory != nullptr && tax != nullptr);
  CHECK(entry->get_interface(OSP_INTERFACE_PAYMENT_V1) == nullptr);
  if (factory == nullptr || tax == nullptr) return 1;
  CHECK(tax->calculate != nullptr && tax->commit == nullptr && tax->void_transaction == nullptr);

  {
    BufferSink out;
    CHECK(factory->validate_config(bytes("[]"), &out.sink) == OSP_OK);
    CHECK(out.text.find("\"valid\":false") != std::string::npos);
  }
  {
    BufferSink err;
    osp_instance* refused = nullptr;
    CHECK(factory->create_instance(nullptr, bytes("{\"refuse\":true}"), &refused, &err.sink) == OSP_E_CONFIG);
    CHECK(refused == nullptr && err.errorStatus == OSP_E_CONFIG && err.errorCode == "config.invalid");
  }

  osp_call_ctx ctx{};
  ctx.struct_size = sizeof(ctx);
  ctx.organization_id = osp::sdk::str("org-9");
  osp_instance* instance = nullptr;
  {
    BufferSink err;
    CHECK(factory->create_instance(&ctx, bytes("{}"), &instance, &err.sink) == OSP_OK && instance != nullptr);
  }
  {
    BufferSink out;
    CHECK(tax->calculate(instance, &ctx, bytes("{}"), &out.sink) == OSP_OK);
    CHECK(out.text == "{\"organization_id\":\"org-9\"}");
  }
  {
    BufferSink out;
    const int logsBefore = logLines;
    CHECK(tax->calculate(instance, &ctx, bytes("throw"), &out.sink) == OSP_E_INTERNAL);
    CHECK(out.errorStatus == OSP_E_INTERNAL && out.errorCode == "plugin.exception");
    CHECK(logLines == logsBefore + 1);
  }
  factory->destroy_instance(instance);
  entry->deinit();
  CHECK(entry->get_interface(OSP_INTERFACE_FACTORY_V1) == nullptr);  // nothing after the last deinit

  if (failures != 0) {
    std::fprintf(stderr, "sdk_cxx17: %d check(s) failed\n", failures);
    return 1;
  }
  std::printf("sdk_cxx17: osp/sdk/plugin.hpp OK as C++17\n");
  return 0;
}
