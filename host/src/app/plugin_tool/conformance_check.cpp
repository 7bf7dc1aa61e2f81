#include "app/plugin_tool/conformance_check.h"

#include <atomic>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include "app/plugin_tool/canned_provider.h"
#include "platform/metrics/metrics_registry.h"
#include "platform/plugins/collecting_sink.h"
#include "platform/plugins/plugin_http_client.h"
#include "platform/plugins/plugin_instances.h"
#include "platform/plugins/plugin_operations.h"
#include "platform/plugins/plugin_registry.h"

namespace ordersvc::tools {

namespace {

using Poco::JSON::Object;

std::string readText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

using Sink = plugins::CollectingSink;

bool isJsonObject(const std::string& text) {
  try {
    auto value = Poco::JSON::Parser().parse(text);
    return value.type() == typeid(Object::Ptr);
  } catch (...) {
    return false;
  }
}

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out);
  return out.str();
}

// The samples' canned provider replies ("http": [...]); none when absent or unreadable
// (the full samples check below reports a broken file).
std::vector<CannedProvider::Reply> cannedReplies(const std::string& samplesFile) {
  std::vector<CannedProvider::Reply> replies;
  try {
    auto samples = Poco::JSON::Parser().parse(readText(samplesFile)).extract<Object::Ptr>();
    auto http = samples->getArray("http");
    for (std::size_t i = 0; http && i < http->size(); ++i) {
      auto entry = http->getObject(static_cast<unsigned>(i));
      CannedProvider::Reply reply;
      reply.method = entry->getValue<std::string>("method");
      reply.pathPrefix = entry->getValue<std::string>("path_prefix");
      reply.status = entry->optValue<int>("status", 200);
      reply.body = entry->has("body") ? stringify(entry->get("body")) : "{}";
      replies.push_back(std::move(reply));
    }
  } catch (const std::exception&) {
  }
  return replies;
}

// Each finding goes to `report`; any failed one fails the whole check.
class Checker {
 public:
  explicit Checker(const std::function<void(bool, const std::string&)>& report) : report_(report) {}
  bool operator()(bool passed, const std::string& what) {
    allPassed_ = allPassed_ && passed;
    report_(passed, what);
    return passed;
  }
  bool allPassed() const { return allPassed_; }

 private:
  const std::function<void(bool, const std::string&)>& report_;
  bool allPassed_ = true;
};

// The registry's id@version, checked to have loaded; null (reported) when it did not.
std::shared_ptr<plugins::PluginLibrary> loadedLibrary(const plugins::PluginRegistry& registry, const std::string& id,
                                                      const std::string& version, const std::string& root,
                                                      Checker& check) {
  std::shared_ptr<plugins::PluginLibrary> library;
  for (const auto& record : registry.list()) {
    if (record.id != id || record.version != version) continue;
    if (!check(record.state == plugins::PluginRecord::State::Loaded,
               "loads under the host loader" + (record.reason.empty() ? "" : ": " + record.reason))) {
      return nullptr;
    }
    library = record.library;
  }
  if (!check(library != nullptr, "found " + id + "@" + version + " under " + root)) return nullptr;
  return library;
}

void checkDescriptor(const plugins::PluginLibrary& library, Checker& check) {
  const osp_plugin_entry& entry = library.entry();
  check(entry.name != nullptr && std::string(entry.name).size() > 0, "descriptor has a name");
  check(entry.vendor != nullptr, "descriptor has a vendor");
  check(entry.min_host_minor <= entry.built_minor, "min_host_minor <= built_minor");
  check(entry.struct_size >= sizeof(osp_plugin_entry), "entry struct is at least the host's size");

  // Counted init/deinit: a second init must succeed and a deinit must leave it usable.
  check(entry.init(library.hostTable(), library.directory().c_str()) == OSP_OK, "init is idempotent (second init)");
  entry.deinit();
  check(library.interface(OSP_INTERFACE_FACTORY_V1) != nullptr, "still usable after init/deinit pair");
}

// Manifest operations and the tables agree both ways.
void checkOperationTables(const plugins::PluginLibrary& library, Checker& check) {
  const auto& manifest = library.manifest();
  std::set<std::string> declared(manifest.operations.begin(), manifest.operations.end());
  for (const auto& info : plugins::allOperations()) {
    const bool present = plugins::operationIn(library.interface(info.interfaceId), info) != nullptr;
    if (present != (declared.count(info.name) != 0)) {
      check(false, std::string(info.name) + (present ? " is implemented but not declared in plugin.json"
                                                     : " is declared in plugin.json but not implemented"));
    }
  }
  check(!declared.empty(), "plugin.json declares its operations");
}

// Configuration schema and validation.
void checkConfigSchema(const plugins::PluginLibrary& library, Checker& check) {
  const osp_factory_v1* factory = library.factory();
  Sink schema;
  check(factory->get_config_schema(&schema.sink) == OSP_OK && isJsonObject(schema.output),
        "config schema is a JSON object");
  if (isJsonObject(schema.output) && isJsonObject(library.manifest().configSchemaJson)) {
    check(stringify(Poco::JSON::Parser().parse(schema.output)) ==
              stringify(Poco::JSON::Parser().parse(library.manifest().configSchemaJson)),
          "config schema equals plugin.json config_schema");
  }
  for (const std::string bad : {"not json", "[1,2,3]"}) {
    Sink verdict;
    const osp_status status =
        factory->validate_config(osp_bytes{reinterpret_cast<const uint8_t*>(bad.data()), bad.size()}, &verdict.sink);
    bool rejected = status == OSP_E_INVALID_ARGUMENT;
    if (status == OSP_OK && isJsonObject(verdict.output)) {
      rejected = !Poco::JSON::Parser().parse(verdict.output).extract<Object::Ptr>()->optValue<bool>("valid", true);
    }
    check(rejected, "bad configuration '" + bad + "' is rejected");
  }
}

// The samples file's object; null (reported) when it is missing or not JSON.
Object::Ptr readSamples(const std::string& samplesFile, Checker& check) {
  if (!check(Poco::File(samplesFile).exists(), "samples file " + samplesFile + " exists")) return nullptr;
  try {
    return Poco::JSON::Parser().parse(readText(samplesFile)).extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    check(false, "samples file is JSON: " + e.displayText());
    return nullptr;
  }
}

void checkSampleConfig(const osp_factory_v1& factory, const std::string& config, Checker& check) {
  Sink verdict;
  factory.validate_config(osp_bytes{reinterpret_cast<const uint8_t*>(config.data()), config.size()}, &verdict.sink);
  check(isJsonObject(verdict.output) &&
            Poco::JSON::Parser().parse(verdict.output).extract<Object::Ptr>()->optValue<bool>("valid", false),
        "sample configuration is valid");
}

plugins::PluginBinding sampleBinding(const std::string& id, const std::string& version, const std::string& kind,
                                     const CannedProvider* provider) {
  plugins::PluginBinding binding;
  binding.organizationId = "org_conformance";
  binding.instanceId = "conformance";
  binding.pluginId = id;
  binding.kind = kind;
  binding.versionRange = version;
  binding.enabled = true;
  if (provider) binding.baseUrlOverride = provider->baseUrl();
  return binding;
}

// `operation` answers its sample request (or refuses it with the expected error) and
// refuses malformed input.
void checkOperation(plugins::PluginInstances& instances, const std::string& operation, const Object::Ptr& requests,
                    const Object::Ptr& expectedErrors, const std::string& samplesFile, bool cannedProvider,
                    Checker& check) {
  plugins::PluginCall call{"org_conformance",
                           "conformance",
                           operation,
                           "",
                           "conformance",
                           "conformance-" + operation,
                           std::chrono::milliseconds(10000)};
  if (requests && requests->has(operation)) {
    call.requestJson = stringify(requests->get(operation));
    auto result = instances.call(call);
    const std::string expectedError =
        expectedErrors ? expectedErrors->optValue<std::string>(operation, "") : std::string();
    if (!result && !expectedError.empty()) {
      check(
          result.error().message.find(expectedError) != std::string::npos,
          operation + " refuses the sample request with the expected " + expectedError + ": " + result.error().message);
    } else {
      check(static_cast<bool>(result), operation + " answers the sample request with a JSON object" +
                                           (result ? "" : ": " + result.error().message));
      // With canned replies on offer, a payment that "never reached the provider" means
      // the plugin's HTTP path did not run.
      if (result && cannedProvider) {
        auto answer = Poco::JSON::Parser().parse(result->json).extract<Object::Ptr>();
        check(answer->optValue<std::string>("status", "") != "not_submitted",
              operation + " reaches the canned provider (not not_submitted)");
      }
    }
  } else {
    check(false, operation + " has a sample request in " + samplesFile);
  }
  call.requestJson = "{this is not json";
  auto malformed = instances.call(call);
  check(!malformed && malformed.error().message.find("[invalid_argument]") != std::string::npos,
        operation + " refuses malformed input with OSP_E_INVALID_ARGUMENT" +
            (malformed ? std::string(" (it answered OK)") : ": " + malformed.error().message));
}

// `operation` from several threads at once, same answer every time.
void checkConcurrentCalls(plugins::PluginInstances& instances, const std::string& operation, const std::string& request,
                          Checker& check) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        plugins::PluginCall call{
            "org_conformance", "conformance", operation, request, "conformance", "c", std::chrono::milliseconds(10000)};
        if (!instances.call(call)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  check(failures.load() == 0,
        operation + " serves 200 concurrent calls from 4 threads (" + std::to_string(failures.load()) + " failed)");
}

}  // namespace

bool runConformance(const std::string& pluginDir, const std::string& samplesPath,
                    const std::function<void(bool, const std::string&)>& report) {
  Checker check(report);

  // Load through the real registry: <root>/<id>/<version> is how the host sees it.
  Poco::Path versionDir(pluginDir);
  versionDir.makeDirectory();
  if (versionDir.depth() < 2) return check(false, "plugin directory must be <plugins_dir>/<id>/<version>");
  const std::string version = versionDir.directory(versionDir.depth() - 1);
  const std::string id = versionDir.directory(versionDir.depth() - 2);
  Poco::Path root = versionDir;
  root.popDirectory();
  root.popDirectory();
  // A plugin that talks to a provider gets the host's real HTTP client, pointed at the
  // canned replies of its samples file.
  const std::string samplesFile = samplesPath.empty() ? versionDir.toString() + "conformance.json" : samplesPath;
  std::vector<CannedProvider::Reply> replies = cannedReplies(samplesFile);
  std::unique_ptr<CannedProvider> provider;
  plugins::PluginHttpClient http;
  if (!replies.empty()) provider = std::make_unique<CannedProvider>(std::move(replies));
  metrics::MetricsRegistry metrics;
  plugins::PluginRegistry registry({root.toString()}, {&metrics, nullptr, provider ? &http : nullptr, "conformance"});
  registry.reload();
  const std::shared_ptr<plugins::PluginLibrary> library = loadedLibrary(registry, id, version, root.toString(), check);
  if (!library) return false;
  const auto& manifest = library->manifest();

  checkDescriptor(*library, check);
  checkOperationTables(*library, check);
  checkConfigSchema(*library, check);

  // Samples.
  const Object::Ptr samples = readSamples(samplesFile, check);
  if (!samples) return false;
  const std::string config = samples->has("config") ? stringify(samples->get("config")) : "{}";
  checkSampleConfig(*library->factory(), config, check);
  plugins::PluginInstances instances(registry, metrics);
  const Status activated = instances.activate(sampleBinding(id, version, manifest.kind, provider.get()), config);
  if (!check(static_cast<bool>(activated), "creates an instance from the sample configuration" +
                                               (activated ? "" : ": " + activated.error().message))) {
    return false;
  }
  auto requests = samples->getObject("requests");
  // Operations whose sample is refused by design (a webhook sample signed long ago is
  // stale): they pass with that error as well as with an answer.
  auto expectedErrors = samples->getObject("expected_errors");
  for (const auto& operation : manifest.operations) {
    checkOperation(instances, operation, requests, expectedErrors, samplesFile, provider != nullptr, check);
  }
  // Concurrency: the first operation from several threads at once, same answer every time.
  if (!manifest.operations.empty() && requests && requests->has(manifest.operations.front())) {
    const std::string operation = manifest.operations.front();
    checkConcurrentCalls(instances, operation, stringify(requests->get(operation)), check);
  }
  return check.allPassed();
}

}  // namespace ordersvc::tools
