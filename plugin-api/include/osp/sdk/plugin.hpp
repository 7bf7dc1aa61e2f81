// osp/sdk/plugin.hpp -- header-only C++17 helper over the C ABI.
//
// A plugin author writes two classes and one macro:
//
//   class MyInstance : public osp::sdk::Instance {      // one per organization config
//     osp::sdk::Result sale(const osp::sdk::Call& call, std::string_view request) override;
//   };
//   class MyPlugin : public osp::sdk::Plugin {           // one per loaded library
//     std::string configSchema() const override;
//     osp::sdk::Validation validateConfig(std::string_view config) const override;
//     std::unique_ptr<osp::sdk::Instance> createInstance(const osp::sdk::Call&, std::string_view config) override;
//     osp::sdk::Operations operations() const override { return {"payment.sale", "payment.refund"}; }
//   };
//   OSP_SDK_PLUGIN(MyPlugin, "cash", "1.0.0", "Cash", "ordersvc", OSP_FLAG_UNLOAD_SAFE)
//
// The macro exports osp_plugin_entry_v1 and fills the C tables with static trampolines
// that recover the C++ object, catch every exception (it becomes OSP_E_INTERNAL with a
// log line through the host) and write results into the host's sink. Operations not
// listed in operations() are NULL in the tables, so the host knows they are absent.
#ifndef OSP_SDK_PLUGIN_HPP
#define OSP_SDK_PLUGIN_HPP

#include <atomic>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "osp/osp.h"

namespace osp::sdk {

inline osp_str str(std::string_view s) {
  return osp_str{s.data(), s.size()};
}
inline std::string_view view(osp_str s) {
  return s.ptr == nullptr ? std::string_view{} : std::string_view(s.ptr, s.len);
}
inline std::string_view view(osp_bytes b) {
  return b.ptr == nullptr ? std::string_view{} : std::string_view(reinterpret_cast<const char*>(b.ptr), b.len);
}

// What an operation returns: a JSON result, or a failure status with a code and message.
struct Result {
  osp_status status = OSP_OK;
  std::string json;
  std::string code;
  std::string message;

  static Result ok(std::string json) { return Result{OSP_OK, std::move(json), {}, {}}; }
  static Result error(osp_status status, std::string code, std::string message) {
    return Result{status, {}, std::move(code), std::move(message)};
  }
  static Result invalid(std::string message) {
    return error(OSP_E_INVALID_ARGUMENT, "request.invalid", std::move(message));
  }
  static Result unsupported() { return error(OSP_E_UNSUPPORTED, "operation.unsupported", "operation not supported"); }
};

// Configuration problems, as validate_config reports them.
struct ConfigProblem {
  std::string path;  // JSON pointer, e.g. "/rates/0/country"
  std::string message;
};
using Validation = std::vector<ConfigProblem>;

// Thrown by createInstance() when a configuration cannot be used.
struct ConfigError : std::exception {
  explicit ConfigError(std::string m) : message(std::move(m)) {}
  const char* what() const noexcept override { return message.c_str(); }
  std::string message;
};

// Operation names as listed in Plugin::operations().
using Operations = std::set<std::string>;

class Host;

// The context of one call: who it is for, and the host services.
class Call {
 public:
  Call(const osp_host* host, const osp_call_ctx* ctx) : host_(host), ctx_(ctx) {}
  std::string_view organizationId() const { return ctx_ ? view(ctx_->organization_id) : std::string_view{}; }
  std::string_view instanceId() const { return ctx_ ? view(ctx_->instance_id) : std::string_view{}; }
  std::string_view requestId() const { return ctx_ ? view(ctx_->request_id) : std::string_view{}; }
  std::string_view idempotencyKey() const { return ctx_ ? view(ctx_->idempotency_key) : std::string_view{}; }
  int64_t deadlineUnixMs() const { return ctx_ ? ctx_->deadline_unix_ms : 0; }
  bool expired() const { return host_ && ctx_ && host_->is_expired && host_->is_expired(host_, ctx_) != 0; }
  void log(osp_log_level level, std::string_view message) const {
    if (host_ && host_->log) host_->log(host_, ctx_, level, str(message));
  }
  int64_t nowUnixMs() const { return host_ && host_->now_unix_ms ? host_->now_unix_ms(host_) : 0; }
  const osp_host* host() const { return host_; }
  const osp_call_ctx* context() const { return ctx_; }

  template <typename Table>
  const Table* service(const char* id) const {
    return host_ && host_->get_service ? static_cast<const Table*>(host_->get_service(host_, id)) : nullptr;
  }

 private:
  const osp_host* host_;
  const osp_call_ctx* ctx_;
};

// One configured instance. Override the operations the plugin lists in operations().
// Every method may be called from several threads at once: keep instances immutable
// after construction, or guard what changes.
class Instance {
 public:
  virtual ~Instance() = default;
#define OSP_SDK_OPERATION(name)                                    \
  virtual Result name(const Call&, std::string_view /*request*/) { \
    return Result::unsupported();                                  \
  }
  // payment
  OSP_SDK_OPERATION(createSession)
  OSP_SDK_OPERATION(authorize)
  OSP_SDK_OPERATION(capture)
  OSP_SDK_OPERATION(sale)
  OSP_SDK_OPERATION(voidPayment)
  OSP_SDK_OPERATION(refund)
  OSP_SDK_OPERATION(sync)
  OSP_SDK_OPERATION(webhookIdentify)
  OSP_SDK_OPERATION(webhookVerifyAndParse)
  // carrier
  OSP_SDK_OPERATION(listServices)
  OSP_SDK_OPERATION(quoteRates)
  OSP_SDK_OPERATION(createShipment)
  OSP_SDK_OPERATION(cancelShipment)
  OSP_SDK_OPERATION(createReturnLabel)
  OSP_SDK_OPERATION(getDocuments)
  OSP_SDK_OPERATION(track)
  OSP_SDK_OPERATION(parseTrackingWebhook)
  // tax
  OSP_SDK_OPERATION(calculateTax)
  OSP_SDK_OPERATION(commitTax)
  OSP_SDK_OPERATION(voidTax)
  // e-invoice
  OSP_SDK_OPERATION(issueDocument)
  OSP_SDK_OPERATION(cancelDocument)
  OSP_SDK_OPERATION(documentStatus)
  OSP_SDK_OPERATION(getDocument)
#undef OSP_SDK_OPERATION
};

// The plugin itself: one object per loaded library, created at the first init and
// destroyed at the last deinit.
class Plugin {
 public:
  virtual ~Plugin() = default;
  // JSON Schema of the instance configuration.
  virtual std::string configSchema() const = 0;
  // Problems with a configuration; empty when valid. Must not throw for bad JSON:
  // report it as a problem at path "".
  virtual Validation validateConfig(std::string_view config) const = 0;
  // A new instance for a valid configuration; throws ConfigError otherwise.
  virtual std::unique_ptr<Instance> createInstance(const Call& call, std::string_view config) = 0;
  // "payment.sale", "carrier.quote_rates", "tax.calculate", ... (see detail::kOperations).
  virtual Operations operations() const = 0;
};

namespace detail {

struct SinkWriter {
  static void write(const osp_sink* sink, const Result& result) {
    if (sink == nullptr) return;
    if (result.status == OSP_OK) {
      if (sink->write)
        sink->write(sink, osp_bytes{reinterpret_cast<const uint8_t*>(result.json.data()), result.json.size()});
    } else if (sink->set_error) {
      sink->set_error(sink, result.status, str(result.code), str(result.message));
    }
  }
};

inline std::string jsonEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[(c >> 4) & 0xf];
          out += hex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  return out;
}

// Per-library state. RTLD_LOCAL gives every loaded version its own copy.
template <typename PluginClass>
struct Library {
  static inline std::mutex mutex;
  static inline int initCount = 0;
  static inline const osp_host* host = nullptr;
  static inline std::unique_ptr<Plugin> plugin;
  static inline Operations operations;

  static bool has(const char* operation) { return operations.count(operation) != 0; }

  static void logFault(const osp_call_ctx* ctx, std::string_view what) {
    if (host && host->log) {
      const std::string message = "plugin fault caught at the ABI boundary: " + std::string(what);
      host->log(host, ctx, OSP_LOG_ERROR, str(message));
    }
  }

  template <Result (Instance::*Op)(const Call&, std::string_view)>
  static osp_status OSP_CC operation(osp_instance* instance, const osp_call_ctx* ctx, osp_bytes request,
                                     const osp_sink* out) noexcept {
    try {
      if (instance == nullptr) {
        SinkWriter::write(out, Result::invalid("no instance"));
        return OSP_E_INVALID_ARGUMENT;
      }
      Call call(host, ctx);
      Result result = (reinterpret_cast<Instance*>(instance)->*Op)(call, view(request));
      SinkWriter::write(out, result);
      return result.status;
    } catch (const std::exception& e) {
      logFault(ctx, e.what());
      SinkWriter::write(out, Result::error(OSP_E_INTERNAL, "plugin.exception", e.what()));
    } catch (...) {
      logFault(ctx, "unknown exception");
      SinkWriter::write(out, Result::error(OSP_E_INTERNAL, "plugin.exception", "unknown exception"));
    }
    return OSP_E_INTERNAL;
  }

  template <Result (Instance::*Op)(const Call&, std::string_view)>
  static osp_operation_fn op(const char* name) {
    return has(name) ? &operation<Op> : nullptr;
  }

  static osp_status OSP_CC getConfigSchema(const osp_sink* out) noexcept {
    try {
      SinkWriter::write(out, Result::ok(plugin->configSchema()));
      return OSP_OK;
    } catch (const std::exception& e) {
      logFault(nullptr, e.what());
      SinkWriter::write(out, Result::error(OSP_E_INTERNAL, "plugin.exception", e.what()));
      return OSP_E_INTERNAL;
    } catch (...) {
      return OSP_E_INTERNAL;
    }
  }

  static osp_status OSP_CC validateConfig(osp_bytes config, const osp_sink* out) noexcept {
    try {
      const Validation problems = plugin->validateConfig(view(config));
      std::string json = problems.empty() ? "{\"valid\":true,\"errors\":[]}" : "{\"valid\":false,\"errors\":[";
      if (!problems.empty()) {
        for (std::size_t i = 0; i < problems.size(); ++i) {
          if (i > 0) json += ',';
          json += "{\"path\":\"" + jsonEscape(problems[i].path) + "\",\"message\":\"" +
                  jsonEscape(problems[i].message) + "\"}";
        }
        json += "]}";
      }
      SinkWriter::write(out, Result::ok(json));
      return OSP_OK;
    } catch (const std::exception& e) {
      logFault(nullptr, e.what());
      SinkWriter::write(out, Result::error(OSP_E_INTERNAL, "plugin.exception", e.what()));
      return OSP_E_INTERNAL;
    } catch (...) {
      return OSP_E_INTERNAL;
    }
  }

  static osp_status OSP_CC createInstance(const osp_call_ctx* ctx, osp_bytes config, osp_instance** instance,
                                          const osp_sink* err) noexcept {
    if (instance == nullptr) return OSP_E_INVALID_ARGUMENT;
    *instance = nullptr;
    try {
      const Validation problems = plugin->validateConfig(view(config));
      if (!problems.empty()) {
        std::string message = "invalid configuration: ";
        for (const auto& p : problems) message += (p.path.empty() ? "" : p.path + ": ") + p.message + "; ";
        SinkWriter::write(err, Result::error(OSP_E_CONFIG, "config.invalid", message));
        return OSP_E_CONFIG;
      }
      Call call(host, ctx);
      std::unique_ptr<Instance> created = plugin->createInstance(call, view(config));
      *instance = reinterpret_cast<osp_instance*>(created.release());
      return OSP_OK;
    } catch (const ConfigError& e) {
      SinkWriter::write(err, Result::error(OSP_E_CONFIG, "config.invalid", e.message));
      return OSP_E_CONFIG;
    } catch (const std::exception& e) {
      logFault(ctx, e.what());
      SinkWriter::write(err, Result::error(OSP_E_INTERNAL, "plugin.exception", e.what()));
    } catch (...) {
      logFault(ctx, "unknown exception");
    }
    return OSP_E_INTERNAL;
  }

  static void OSP_CC destroyInstance(osp_instance* instance) noexcept {
    try {
      delete reinterpret_cast<Instance*>(instance);
    } catch (...) {
      logFault(nullptr, "exception in instance destructor");
    }
  }

  static inline osp_factory_v1 factory{};
  static inline osp_payment_v1 payment{};
  static inline osp_carrier_v1 carrier{};
  static inline osp_tax_v1 tax{};
  static inline osp_einvoice_v1 einvoice{};

  static bool any(const char* prefix) {
    for (const auto& name : operations) {
      if (name.rfind(prefix, 0) == 0) return true;
    }
    return false;
  }

  static void buildTables() {
    factory =
        osp_factory_v1{sizeof(osp_factory_v1), &getConfigSchema, &validateConfig, &createInstance, &destroyInstance};
    payment = osp_payment_v1{sizeof(osp_payment_v1),
                             op<&Instance::createSession>("payment.create_session"),
                             op<&Instance::authorize>("payment.authorize"),
                             op<&Instance::capture>("payment.capture"),
                             op<&Instance::sale>("payment.sale"),
                             op<&Instance::voidPayment>("payment.void"),
                             op<&Instance::refund>("payment.refund"),
                             op<&Instance::sync>("payment.sync"),
                             op<&Instance::webhookIdentify>("payment.webhook_identify"),
                             op<&Instance::webhookVerifyAndParse>("payment.webhook_verify_and_parse")};
    carrier = osp_carrier_v1{sizeof(osp_carrier_v1),
                             op<&Instance::listServices>("carrier.list_services"),
                             op<&Instance::quoteRates>("carrier.quote_rates"),
                             op<&Instance::createShipment>("carrier.create_shipment"),
                             op<&Instance::cancelShipment>("carrier.cancel_shipment"),
                             op<&Instance::createReturnLabel>("carrier.create_return_label"),
                             op<&Instance::getDocuments>("carrier.get_documents"),
                             op<&Instance::track>("carrier.track"),
                             op<&Instance::parseTrackingWebhook>("carrier.parse_tracking_webhook")};
    tax = osp_tax_v1{sizeof(osp_tax_v1), op<&Instance::calculateTax>("tax.calculate"),
                     op<&Instance::commitTax>("tax.commit"), op<&Instance::voidTax>("tax.void")};
    einvoice = osp_einvoice_v1{sizeof(osp_einvoice_v1), op<&Instance::issueDocument>("einvoice.issue"),
                               op<&Instance::cancelDocument>("einvoice.cancel"),
                               op<&Instance::documentStatus>("einvoice.status"),
                               op<&Instance::getDocument>("einvoice.get_document")};
  }

  static osp_status OSP_CC negotiate(uint32_t* inoutMinor) noexcept {
    if (inoutMinor == nullptr) return OSP_E_INVALID_ARGUMENT;
    if (*inoutMinor > OSP_ABI_MINOR) *inoutMinor = OSP_ABI_MINOR;
    return OSP_OK;
  }

  static osp_status OSP_CC init(const osp_host* hostServices, const char*) noexcept {
    std::lock_guard<std::mutex> lock(mutex);
    try {
      if (initCount == 0) {
        host = hostServices;
        plugin = std::make_unique<PluginClass>();
        operations = plugin->operations();
        buildTables();
      }
      ++initCount;
      return OSP_OK;
    } catch (const std::exception& e) {
      logFault(nullptr, e.what());
    } catch (...) {
    }
    plugin.reset();
    host = nullptr;
    return OSP_E_INTERNAL;
  }

  static void OSP_CC deinit() noexcept {
    std::lock_guard<std::mutex> lock(mutex);
    if (initCount == 0) return;
    if (--initCount == 0) {
      try {
        plugin.reset();
      } catch (...) {
      }
      operations.clear();
      host = nullptr;
    }
  }

  static const void* OSP_CC getInterface(const char* id) noexcept {
    if (id == nullptr || !plugin) return nullptr;
    if (std::strcmp(id, OSP_INTERFACE_FACTORY_V1) == 0) return &factory;
    if (std::strcmp(id, OSP_INTERFACE_PAYMENT_V1) == 0) return any("payment.") ? &payment : nullptr;
    if (std::strcmp(id, OSP_INTERFACE_CARRIER_V1) == 0) return any("carrier.") ? &carrier : nullptr;
    if (std::strcmp(id, OSP_INTERFACE_TAX_V1) == 0) return any("tax.") ? &tax : nullptr;
    if (std::strcmp(id, OSP_INTERFACE_EINVOICE_V1) == 0) return any("einvoice.") ? &einvoice : nullptr;
    return nullptr;
  }
};

}  // namespace detail
}  // namespace osp::sdk

// Defines the plugin's one exported symbol. Use once, in one .cpp of the plugin.
#define OSP_SDK_PLUGIN(PluginClass, ID, VERSION, NAME, VENDOR, FLAGS)       \
  extern "C" OSP_EXPORT const osp_plugin_entry* osp_plugin_entry_v1(void) { \
    using Lib = ::osp::sdk::detail::Library<PluginClass>;                   \
    static const osp_plugin_entry entry = {OSP_MAGIC,                       \
                                           sizeof(osp_plugin_entry),        \
                                           OSP_ABI_MAJOR,                   \
                                           OSP_ABI_MINOR,                   \
                                           0u,                              \
                                           (FLAGS),                         \
                                           OSP_BUILD_SIGNATURE,             \
                                           ID,                              \
                                           VERSION,                         \
                                           NAME,                            \
                                           VENDOR,                          \
                                           &Lib::negotiate,                 \
                                           &Lib::init,                      \
                                           &Lib::deinit,                    \
                                           &Lib::getInterface};             \
    return &entry;                                                          \
  }

#endif  // OSP_SDK_PLUGIN_HPP
