// The payment benchmark's C++ side (driven by bench/payments.sh): a fast fake Stripe, and
// the load generators that measure it directly, pay orders through ordersvc against it,
// and fire signed Stripe webhooks at two ordersvc processes. One executable, one mode
// per invocation:
//
//   fake-stripe  --port-file=F [--port=0] [--secret-key=sk_...] [--capture-file=F] [--threads=64]
//       PaymentIntents in memory, on 127.0.0.1, until SIGTERM/SIGINT: POST /v1/payment_intents
//       (confirm=true with a payment_method: succeeded, or requires_capture for manual
//       capture; otherwise requires_payment_method, a browser session), GET / confirm / cancel
//       of one intent, search by metadata, POST /v1/refunds. Every request needs
//       "Authorization: Bearer <secret key>" (401 otherwise), as at Stripe. The first
//       POST /v1/payment_intents that carries confirm=true (the stripe plugin's sale) is written
//       to --capture-file verbatim (request line, headers, body) for `direct` to replay.
//       GET /__stats answers "requests=N creates=N handler_ns=N": the time spent inside
//       the handler, from parsed headers to the answer written.
//   direct       --port=P --capture-file=F [--concurrency=1] [--duration=5] [--warmup=1]
//                [--connection=fresh|keep-alive]
//       Replays the captured request (each with its own Idempotency-Key and payment id)
//       against the fake (or any mock): the mock's own latency. "fresh" opens a connection
//       per request and asks the server to close it, as the host's plugin HTTP client does;
//       "keep-alive" reuses one connection per client.
//   place        --port=P --jwt-secret-file=F --count=N --orders-file=OUT [--concurrency=8]
//                [--session] [--variants=v_tee_m,v_tee_l,v_mug,v_coffee] [--org=demo]
//       Places N orders (guest cart, one item (variants in turn), checkout as a signed-in
//       customer; one customer per client). With --session, also opens a Stripe browser
//       session for each (POST payments without payment_method_id: requires_action).
//       Writes "order_id total token" lines, or with --session "order_id total payment_id
//       intent_id".
//   pay          --port=P --orders-file=F [--concurrency=1] [--warmup=20]
//       POST /api/v1/orders/{id}/payments with payment_method stripe, payment_method_id
//       pm_card_visa and the order's total, as its customer, once per order of the file
//       (one keep-alive connection per client); each answer must say order "confirmed",
//       payment "captured". The first --warmup payments are not measured.
//   webhooks     --ports=P1,P2 --orders-file=F --webhook-secret=S --events-file=OUT
//                [--concurrency=8] [--tag=run] [--org=demo] [--instance=stripe]
//       For each order of a --session file one signed payment_intent.succeeded event,
//       delivered twice: the two deliveries are adjacent in the work queue (so two clients
//       send them at nearly the same moment) and go to different processes (the first to
//       P1 for even events, to P2 for odd ones). Each client keeps a connection to each
//       process. A delivery answered other than 200 is retried (up to 5 times, as Stripe
//       would later). Writes "event_id order_id payment_id" lines for the SQL check.
//
// Measures and prints; the exit code is 0 unless the mode could not run at all (bad
// arguments, unreadable files). The last output line of a load mode is machine-readable:
// RESULT key=value ...
#include <openssl/hmac.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace {

using Clock = std::chrono::steady_clock;
using Headers = std::vector<std::pair<std::string, std::string>>;

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

int64_t unixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// --- Options: --key=value pairs.
class Options {
 public:
  bool parse(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg.rfind("--", 0) != 0) {
        std::fprintf(stderr, "unexpected argument %s\n", arg.c_str());
        return false;
      }
      const auto eq = arg.find('=');
      values_[arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2)] =
          eq == std::string::npos ? "true" : arg.substr(eq + 1);
    }
    return true;
  }
  std::string text(const std::string& key, const std::string& fallback = "") const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
  }
  int integer(const std::string& key, int fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : std::stoi(it->second);
  }
  double number(const std::string& key, double fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : std::stod(it->second);
  }
  bool flag(const std::string& key) const { return values_.count(key) > 0 && values_.at(key) != "false"; }

 private:
  std::map<std::string, std::string> values_;
};

std::vector<std::string> splitOn(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, separator);) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

std::string jsonEscape(const std::string& in) {
  std::string out;
  for (char c : in) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out;
}

// --- Latency summaries.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)];
}

struct Summary {
  std::size_t n = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};

Summary summarise(std::vector<double> samples) {
  Summary s;
  std::sort(samples.begin(), samples.end());
  s.n = samples.size();
  if (samples.empty()) return s;
  s.p50 = percentile(samples, 50);
  s.p90 = percentile(samples, 90);
  s.p99 = percentile(samples, 99);
  s.max = samples.back();
  double total = 0;
  for (double v : samples) total += v;
  s.mean = total / static_cast<double>(samples.size());
  return s;
}

void printSummaryHeader() {
  std::printf("  %-28s %7s %8s %8s %8s %8s %8s\n", "(ms)", "n", "p50", "p90", "p99", "max", "mean");
}
void printSummary(const char* label, const Summary& s) {
  std::printf("  %-28s %7zu %8.3f %8.3f %8.3f %8.3f %8.3f\n", label, s.n, s.p50, s.p90, s.p99, s.max, s.mean);
}
std::string resultFields(const std::string& prefix, const Summary& s) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer,
                "%s_n=%zu %s_p50_ms=%.3f %s_p90_ms=%.3f %s_p99_ms=%.3f %s_max_ms=%.3f %s_mean_ms=%.3f", prefix.c_str(),
                s.n, prefix.c_str(), s.p50, prefix.c_str(), s.p90, prefix.c_str(), s.p99, prefix.c_str(), s.max,
                prefix.c_str(), s.mean);
  return buffer;
}

// --- HTTP client side.
struct Reply {
  int status = 0;
  std::string body;
  std::string error;       // transport problem; empty when an answer arrived
  bool duplicate = false;  // X-Webhook-Duplicate: true
};

class Client {
 public:
  Client(const std::string& host, int port, bool keepAlive, int timeoutSeconds)
      : host_(host), port_(port), keepAlive_(keepAlive), timeout_(timeoutSeconds, 0) {
    if (keepAlive_) session_ = makeSession();
  }

  Reply send(const std::string& method, const std::string& path, const std::string& body, const Headers& headers) {
    Reply reply;
    // Without keep-alive every request gets its own connection, as the host's plugin
    // HTTP client makes them (a session per request, "Connection: close").
    std::unique_ptr<Poco::Net::HTTPClientSession> fresh;
    Poco::Net::HTTPClientSession& session = keepAlive_ ? *session_ : *(fresh = makeSession());
    try {
      Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
      request.setKeepAlive(keepAlive_);
      for (const auto& [name, value] : headers) request.set(name, value);
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      session.sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::istream& in = session.receiveResponse(response);
      Poco::StreamCopier::copyToString(in, reply.body);
      reply.status = static_cast<int>(response.getStatus());
      reply.duplicate = response.get("X-Webhook-Duplicate", "") == "true";
    } catch (const Poco::Exception& e) {
      reply.error = e.displayText();
      session.reset();  // a half-read answer must not be taken for the next one
    }
    return reply;
  }

 private:
  std::unique_ptr<Poco::Net::HTTPClientSession> makeSession() const {
    auto session = std::make_unique<Poco::Net::HTTPClientSession>(host_, static_cast<Poco::UInt16>(port_));
    session->setKeepAlive(keepAlive_);
    session->setTimeout(timeout_);
    return session;
  }

  std::string host_;
  int port_;
  bool keepAlive_;
  Poco::Timespan timeout_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

std::string describe(const Reply& reply) {
  if (!reply.error.empty()) return "transport: " + reply.error;
  rapidjson::Document doc;
  doc.Parse(reply.body.data(), reply.body.size());
  std::string code;
  if (doc.IsObject() && doc.HasMember("error") && doc["error"].IsObject() && doc["error"].HasMember("code") &&
      doc["error"]["code"].IsString()) {
    code = doc["error"]["code"].GetString();
  }
  return "HTTP " + std::to_string(reply.status) + (code.empty() ? "" : " " + code);
}

// A member of `object` as text (numbers as their JSON text); empty if absent.
std::string field(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name)) return "";
  const auto& value = object[name];
  if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

const rapidjson::Value& dataOf(const rapidjson::Document& doc) {
  static const rapidjson::Value kNull;
  if (!doc.IsObject() || !doc.HasMember("data") || !doc["data"].IsObject()) return kNull;
  return doc["data"];
}

std::string signCustomerToken(const std::string& secret, const std::string& subject, const std::string& org) {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setSubject(subject);
  const Poco::Timestamp now;
  token.setIssuedAt(now);
  token.setExpiration(now + Poco::Timespan(24 * 3600, 0));
  token.payload().set("org_id", org);
  Poco::JSON::Array::Ptr roles = new Poco::JSON::Array;
  roles->add("order.customer");
  token.payload().set("roles", roles);
  return Poco::JWT::Signer(secret).sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::string hmacSha256Hex(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &length);
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += digits[digest[i] >> 4];
    out += digits[digest[i] & 15];
  }
  return out;
}

// Runs body(clientIndex) on `concurrency` threads and waits for them.
void onThreads(int concurrency, const std::function<void(int)>& body) {
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(concurrency));
  for (int i = 0; i < concurrency; ++i) threads.emplace_back(body, i);
  for (auto& thread : threads) thread.join();
}

// Failures by description, shared by the clients.
class Failures {
 public:
  void add(const std::string& what) {
    std::lock_guard lock(mutex_);
    ++counts_[what];
    ++total_;
  }
  long total() const {
    std::lock_guard lock(mutex_);
    return total_;
  }
  void print() const {
    std::lock_guard lock(mutex_);
    for (const auto& [what, count] : counts_) std::printf("  failure %-64s x%ld\n", what.c_str(), count);
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, long> counts_;
  long total_ = 0;
};

// ===================================================================== fake Stripe
class FakeStripe {
 public:
  FakeStripe(std::string secretKey, std::string captureFile)
      : authorization_("Bearer " + std::move(secretKey)), captureFile_(std::move(captureFile)) {}

  void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const auto started = Clock::now();
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    const std::string& uri = request.getURI();
    const auto question = uri.find('?');
    const std::string path = uri.substr(0, question);
    const std::string query = question == std::string::npos ? "" : uri.substr(question + 1);
    int status = 200;
    std::string answer;
    if (path == "/__stats") {
      answer = "requests=" + std::to_string(requests_.load()) + " creates=" + std::to_string(creates_.load()) +
               " handler_ns=" + std::to_string(handlerNanos_.load()) + "\n";
      response.setContentType("text/plain");
      response.setContentLength(static_cast<std::streamsize>(answer.size()));
      response.send() << answer;
      return;
    }
    if (request.get("Authorization", "") != authorization_) {
      status = 401;
      answer = R"({"error":{"type":"invalid_request_error","message":"Invalid API Key provided"}})";
    } else {
      answer = route(request, path, query, body, status);
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    response.set("Request-Id", "req_fake");
    response.set("Stripe-Version", request.get("Stripe-Version", "2023-08-16"));
    response.setContentLength(static_cast<std::streamsize>(answer.size()));
    response.send() << answer;
    ++requests_;
    handlerNanos_ += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count();
  }

 private:
  struct Intent {
    int64_t amount = 0;
    std::string currency;
    std::string status;
    std::string captureMethod = "automatic";
    std::string paymentMethod;
    std::string organizationId, paymentId, orderId;
    int64_t created = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Intent> intents;
  };

  static std::map<std::string, std::string> form(const std::string& body) {
    std::map<std::string, std::string> out;
    for (const auto& pair : splitOn(body, '&')) {
      const auto eq = pair.find('=');
      std::string key, value;
      Poco::URI::decode(pair.substr(0, eq), key, true);
      if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value, true);
      out[key] = value;
    }
    return out;
  }

  Shard& shardOf(const std::string& id) { return shards_[std::hash<std::string>{}(id) % shards_.size()]; }

  static std::string render(const std::string& id, const Intent& intent) {
    const bool received = intent.status == "succeeded";
    const bool capturable = intent.status == "requires_capture";
    std::string out;
    out.reserve(700);
    out += R"({"id":")" + id + R"(","object":"payment_intent","amount":)" + std::to_string(intent.amount);
    out += R"(,"amount_capturable":)" + std::to_string(capturable ? intent.amount : 0);
    out += R"(,"amount_received":)" + std::to_string(received ? intent.amount : 0);
    out += R"(,"capture_method":")" + intent.captureMethod + R"(","client_secret":")" + id + R"(_secret_fake")";
    out += R"(,"confirmation_method":"automatic","created":)" + std::to_string(intent.created);
    out += R"(,"currency":")" + jsonEscape(intent.currency) + R"(","last_payment_error":null,"livemode":false)";
    out += R"(,"metadata":{"organization_id":")" + jsonEscape(intent.organizationId) + R"(","payment_id":")" +
           jsonEscape(intent.paymentId) + R"(","order_id":")" + jsonEscape(intent.orderId) + R"("})";
    out += R"(,"next_action":null,"payment_method":)" +
           (intent.paymentMethod.empty() ? std::string("null") : "\"" + jsonEscape(intent.paymentMethod) + "\"");
    out += R"(,"payment_method_types":["card"],"status":")" + intent.status + R"("})";
    return out;
  }

  void capture(Poco::Net::HTTPServerRequest& request, const std::string& body) {
    bool expected = false;
    if (captureFile_.empty() || !captured_.compare_exchange_strong(expected, true)) return;
    std::ofstream out(captureFile_ + ".tmp", std::ios::binary);
    out << request.getMethod() << " " << request.getURI() << "\n";
    for (const auto& [name, value] : request) out << name << ": " << value << "\n";
    out << "\n" << body;
    out.close();
    std::rename((captureFile_ + ".tmp").c_str(), captureFile_.c_str());
  }

  std::string route(Poco::Net::HTTPServerRequest& request, const std::string& path, const std::string& query,
                    const std::string& body, int& status) {
    static const std::string kIntents = "/v1/payment_intents";
    const std::string& method = request.getMethod();
    if (method == "POST" && path == kIntents) {
      ++creates_;
      auto f = form(body);
      Intent intent;
      try {
        intent.amount = std::stoll(f["amount"]);
      } catch (const std::exception&) {
        status = 400;
        return R"({"error":{"type":"invalid_request_error","code":"parameter_missing","param":"amount"}})";
      }
      intent.currency = f["currency"];
      intent.paymentId = f["metadata[payment_id]"];
      intent.organizationId = f["metadata[organization_id]"];
      intent.orderId = f["metadata[order_id]"];
      intent.paymentMethod = f["payment_method"];
      intent.created = unixSeconds();
      if (!f["capture_method"].empty()) intent.captureMethod = f["capture_method"];
      const bool confirm = f["confirm"] == "true" && !intent.paymentMethod.empty();
      intent.status =
          confirm ? (intent.captureMethod == "manual" ? "requires_capture" : "succeeded") : "requires_payment_method";
      if (confirm) capture(request, body);
      const auto underscore = intent.paymentId.find('_');
      const std::string id = underscore == std::string::npos ? "pi_fake" + std::to_string(++anonymous_)
                                                             : "pi_" + intent.paymentId.substr(underscore + 1);
      Shard& shard = shardOf(id);
      std::lock_guard lock(shard.mutex);
      shard.intents[id] = intent;
      return render(id, intent);
    }
    if (path.rfind(kIntents + "/", 0) == 0) {
      const std::string rest = path.substr(kIntents.size() + 1);
      if (method == "GET" && rest == "search") {
        std::string data;
        for (auto& shard : shards_) {
          std::lock_guard lock(shard.mutex);
          for (const auto& [id, intent] : shard.intents) {
            if (!intent.paymentId.empty() && query.find(intent.paymentId) != std::string::npos) {
              data += (data.empty() ? "" : ",") + render(id, intent);
            }
          }
        }
        return R"({"object":"search_result","data":[)" + data + R"(],"has_more":false})";
      }
      const auto slash = rest.find('/');
      const std::string id = rest.substr(0, slash);
      const std::string action = slash == std::string::npos ? "" : rest.substr(slash + 1);
      Shard& shard = shardOf(id);
      std::lock_guard lock(shard.mutex);
      auto it = shard.intents.find(id);
      if (it == shard.intents.end()) {
        status = 404;
        return R"({"error":{"type":"invalid_request_error","code":"resource_missing"}})";
      }
      Intent& intent = it->second;
      if (method == "GET" && action.empty()) return render(id, intent);
      if (method == "POST" && action == "confirm") {
        auto f = form(body);
        if (!f["payment_method"].empty()) intent.paymentMethod = f["payment_method"];
        intent.status = intent.captureMethod == "manual" ? "requires_capture" : "succeeded";
        return render(id, intent);
      }
      if (method == "POST" && action == "capture") {
        intent.status = "succeeded";
        return render(id, intent);
      }
      if (method == "POST" && action == "cancel") {
        intent.status = "canceled";
        return render(id, intent);
      }
    }
    if (method == "POST" && path == "/v1/refunds") {
      auto f = form(body);
      return R"({"id":"re_fake)" + std::to_string(++refunds_) + R"(","object":"refund","amount":)" +
             (f["amount"].empty() ? "0" : jsonEscape(f["amount"])) + R"(,"currency":"clp","payment_intent":")" +
             jsonEscape(f["payment_intent"]) + R"(","status":"succeeded","metadata":{}})";
    }
    status = 404;
    return R"({"error":{"type":"invalid_request_error","message":"not in the fake"}})";
  }

  const std::string authorization_;
  const std::string captureFile_;
  std::array<Shard, 32> shards_;
  std::atomic<bool> captured_{false};
  std::atomic<long> requests_{0}, creates_{0}, anonymous_{0}, refunds_{0};
  std::atomic<int64_t> handlerNanos_{0};
};

class FakeStripeHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit FakeStripeHandler(FakeStripe& fake) : fake_(fake) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    fake_.handle(request, response);
  }

 private:
  FakeStripe& fake_;
};

class FakeStripeFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit FakeStripeFactory(FakeStripe& fake) : fake_(fake) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new FakeStripeHandler(fake_);
  }

 private:
  FakeStripe& fake_;
};

int runFakeStripe(const Options& options) {
  const std::string portFile = options.text("port-file");
  if (portFile.empty()) {
    std::fprintf(stderr, "fake-stripe needs --port-file\n");
    return 64;
  }
  // SIGTERM/SIGINT are taken by sigwait below: blocked before any thread starts.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  FakeStripe fake(options.text("secret-key", "sk_test_paybench"), options.text("capture-file"));
  const int threads = options.integer("threads", 64);
  Poco::ThreadPool pool("fake-stripe", 8, threads);
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(threads);
  params->setMaxQueued(1024);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);
  params->setTimeout(Poco::Timespan(30, 0));
  Poco::Net::ServerSocket socket(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(options.integer("port", 0))), 256);
  Poco::Net::HTTPServer server(new FakeStripeFactory(fake), pool, socket, params);
  server.start();
  {
    std::ofstream out(portFile + ".tmp");
    out << socket.address().port() << "\n";
  }
  std::rename((portFile + ".tmp").c_str(), portFile.c_str());
  int signal = 0;
  sigwait(&stopSignals, &signal);
  server.stopAll(true);
  pool.joinAll();
  return 0;
}

// ===================================================================== direct
struct CapturedRequest {
  std::string method, path;
  Headers headers;  // without Host, Content-Length, Connection
  std::string body;
};

bool readCapture(const std::string& file, CapturedRequest& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::string line;
  if (!std::getline(in, line)) return false;
  const auto space = line.find(' ');
  out.method = line.substr(0, space);
  out.path = line.substr(space + 1);
  while (std::getline(in, line) && !line.empty()) {
    const auto colon = line.find(": ");
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "host" || lower == "content-length" || lower == "connection") continue;
    out.headers.emplace_back(name, line.substr(colon + 2));
  }
  std::stringstream rest;
  rest << in.rdbuf();
  out.body = rest.str();
  return !out.method.empty();
}

// `form` with the value of `key` replaced (or appended when absent).
std::string withFormValue(const std::string& form, const std::string& key, const std::string& value) {
  const std::string prefix = key + "=";
  std::size_t start = 0;
  while (start < form.size()) {
    std::size_t end = form.find('&', start);
    if (end == std::string::npos) end = form.size();
    if (form.compare(start, prefix.size(), prefix) == 0) {
      return form.substr(0, start) + prefix + value + form.substr(end);
    }
    start = end + 1;
  }
  return form + (form.empty() ? "" : "&") + prefix + value;
}

int runDirect(const Options& options) {
  CapturedRequest captured;
  if (!readCapture(options.text("capture-file"), captured)) {
    std::fprintf(stderr, "direct: cannot read a captured request from %s\n", options.text("capture-file").c_str());
    return 66;
  }
  const int port = options.integer("port", 0);
  const int concurrency = options.integer("concurrency", 1);
  const double duration = options.number("duration", 5);
  const double warmup = options.number("warmup", 1);
  const bool keepAlive = options.text("connection", "fresh") == "keep-alive";
  const std::string label = options.text("label", "mock");
  const std::string run = std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);

  const auto start = Clock::now();
  const auto windowStart = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
  const auto windowEnd =
      windowStart + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(duration));
  std::vector<std::vector<double>> samples(static_cast<std::size_t>(concurrency));
  Failures failures;
  double cpuAtStart = 0, cpuInWindow = 0;
  std::thread meter([&] {
    std::this_thread::sleep_until(windowStart);
    cpuAtStart = cpuSeconds();
    std::this_thread::sleep_until(windowEnd);
    cpuInWindow = cpuSeconds() - cpuAtStart;
  });
  onThreads(concurrency, [&](int index) {
    Client client("127.0.0.1", port, keepAlive, 10);
    long sequence = 0;
    while (Clock::now() < windowEnd) {
      const std::string unique = "d" + run + "x" + std::to_string(index) + "x" + std::to_string(++sequence);
      const std::string body = withFormValue(captured.body, "metadata%5Bpayment_id%5D", "pay_" + unique);
      Headers headers = captured.headers;
      for (auto& [name, value] : headers) {
        if (name == "Idempotency-Key") value = "paybench-" + unique;
      }
      const auto t0 = Clock::now();
      const Reply reply = client.send(captured.method, captured.path, body, headers);
      const auto t1 = Clock::now();
      if (reply.status < 200 || reply.status >= 300) {
        failures.add(describe(reply));
        if (!reply.error.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      if (t1 >= windowStart && t1 <= windowEnd) samples[static_cast<std::size_t>(index)].push_back(ms(t1 - t0));
    }
  });
  meter.join();
  std::vector<double> all;
  for (const auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  const Summary s = summarise(all);
  std::printf("%s: POST %s directly, concurrency %d, %s connections: %zu answers in %.1f s = %.0f/s; %ld failures\n",
              label.c_str(), captured.path.c_str(), concurrency, keepAlive ? "keep-alive" : "fresh", s.n, duration,
              static_cast<double>(s.n) / duration, failures.total());
  printSummaryHeader();
  printSummary("request", s);
  failures.print();
  std::printf("  load generator CPU %.2f cores\n", cpuInWindow / duration);
  std::printf("RESULT concurrency=%d per_s=%.1f failures=%ld client_cpu_s=%.2f %s\n", concurrency,
              static_cast<double>(s.n) / duration, failures.total(), cpuInWindow, resultFields("lat", s).c_str());
  return 0;
}

// ===================================================================== place
int runPlace(const Options& options) {
  const int port = options.integer("port", 0);
  const int count = options.integer("count", 0);
  const int concurrency = options.integer("concurrency", 8);
  const bool session = options.flag("session");
  const std::string org = options.text("org", "demo");
  const auto variants = splitOn(options.text("variants", "v_tee_m,v_tee_l,v_mug,v_coffee"), ',');
  std::string secret;
  std::getline(std::ifstream(options.text("jwt-secret-file")), secret);
  if (port <= 0 || count <= 0 || secret.empty() || variants.empty() || options.text("orders-file").empty()) {
    std::fprintf(stderr, "place needs --port, --count, --jwt-secret-file (readable) and --orders-file\n");
    return 64;
  }
  const std::string run = std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);
  const std::string address =
      R"({"name":"Bench Customer","line1":"Av. Providencia 1234","city":"Santiago","region":"RM","country":"CL"})";
  std::vector<std::string> lines(static_cast<std::size_t>(count));
  std::atomic<int> next{0};
  std::atomic<bool> giveUp{false};
  Failures failures;
  const auto started = Clock::now();
  onThreads(concurrency, [&](int index) {
    const std::string token = signCustomerToken(secret, "paybench-" + run + "-" + std::to_string(index), org);
    Client client("127.0.0.1", port, true, 30);
    const Headers guest = {{"Content-Type", "application/json"}, {"X-Organization-Id", org}};
    const Headers customer = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};
    int mine = next++;
    while (mine < count && !giveUp) {
      // A failed order is tried again; too many failures end the run.
      auto failedBecause = [&](const std::string& what) {
        failures.add(what);
        if (failures.total() > count / 10 + 20) giveUp = true;
      };
      auto failed = [&](const std::string& step, const Reply& reply) {
        failedBecause(step + ": " + describe(reply));
        if (!reply.error.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      };
      Reply reply = client.send("POST", "/api/v1/carts", "{}", guest);
      if (reply.status != 201) {
        failed("create cart", reply);
        continue;
      }
      rapidjson::Document doc;
      doc.Parse(reply.body.data(), reply.body.size());
      const std::string cartId = field(dataOf(doc), "id");
      const std::string cartToken = field(dataOf(doc), "cart_token");
      Headers guestCart = guest;
      guestCart.emplace_back("X-Cart-Token", cartToken);
      const std::string& variant = variants[static_cast<std::size_t>(mine) % variants.size()];
      reply = client.send("POST", "/api/v1/carts/" + cartId + "/items",
                          R"({"variant_id":")" + variant + R"(","quantity":1})", guestCart);
      if (reply.status != 201) {
        failed("add item", reply);
        continue;
      }
      Headers customerCart = customer;
      customerCart.emplace_back("X-Cart-Token", cartToken);
      reply = client.send(
          "POST", "/api/v1/orders/from-cart",
          R"({"cart_id":")" + cartId + R"(","shipping_method":"standard","shipping_address":)" + address + "}",
          customerCart);
      if (reply.status != 201) {
        failed("checkout", reply);
        continue;
      }
      doc.Parse(reply.body.data(), reply.body.size());
      const std::string orderId = field(dataOf(doc), "order_id");
      const std::string total = field(dataOf(doc), "total");
      if (orderId.empty() || total.empty()) {
        failedBecause("checkout: answer without order_id or total");
        continue;
      }
      if (!session) {
        lines[static_cast<std::size_t>(mine)] = orderId + " " + total + " " + token;
        mine = next++;
        continue;
      }
      reply = client.send("POST", "/api/v1/orders/" + orderId + "/payments",
                          R"({"payment_method":"stripe","amount":)" + total + R"(,"currency":"CLP"})", customer);
      if (reply.status != 201) {
        failed("open session", reply);
        continue;
      }
      doc.Parse(reply.body.data(), reply.body.size());
      const auto& data = dataOf(doc);
      const auto& attempt = data.IsObject() && data.HasMember("payment_attempt") ? data["payment_attempt"] : data;
      if (field(attempt, "status") != "requires_action" || field(attempt, "provider_reference").rfind("pi_", 0) != 0) {
        failedBecause("open session: payment " + field(attempt, "status") + ", reference " +
                      field(attempt, "provider_reference"));
        continue;
      }
      lines[static_cast<std::size_t>(mine)] =
          orderId + " " + total + " " + field(attempt, "id") + " " + field(attempt, "provider_reference");
      mine = next++;
    }
  });
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::ofstream out(options.text("orders-file"));
  int written = 0;
  for (const auto& line : lines) {
    if (line.empty()) continue;
    out << line << "\n";
    ++written;
  }
  std::printf("placed %d orders%s in %.1f s (%.0f/s, concurrency %d); %ld failures\n", written,
              session ? " with a Stripe session each" : "", seconds, written / seconds, concurrency, failures.total());
  failures.print();
  std::printf("RESULT placed=%d seconds=%.1f failures=%ld\n", written, seconds, failures.total());
  return written == count ? 0 : 1;
}

// ===================================================================== pay
struct OrderLine {
  std::string orderId, total, third, fourth;
};

std::vector<OrderLine> readOrders(const std::string& file) {
  std::vector<OrderLine> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    std::stringstream fields(line);
    OrderLine o;
    fields >> o.orderId >> o.total >> o.third >> o.fourth;
    if (!o.orderId.empty()) out.push_back(o);
  }
  return out;
}

int runPay(const Options& options) {
  const int port = options.integer("port", 0);
  const int concurrency = options.integer("concurrency", 1);
  const int warmup = options.integer("warmup", 20);
  const auto orders = readOrders(options.text("orders-file"));
  if (port <= 0 || orders.empty()) {
    std::fprintf(stderr, "pay needs --port and a non-empty --orders-file\n");
    return 64;
  }
  std::vector<std::vector<double>> samples(static_cast<std::size_t>(concurrency));
  std::atomic<std::size_t> next{0};
  std::atomic<long> confirmed{0};
  Failures failures;
  std::mutex windowMutex;
  Clock::time_point firstMeasured = Clock::time_point::max(), lastDone{};
  double cpuAtFirst = -1;
  onThreads(concurrency, [&](int index) {
    Client client("127.0.0.1", port, true, 30);
    for (std::size_t i = next++; i < orders.size(); i = next++) {
      const OrderLine& order = orders[i];
      const Headers headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + order.third}};
      const std::string body = R"({"payment_method":"stripe","payment_method_id":"pm_card_visa","amount":)" +
                               order.total + R"(,"currency":"CLP"})";
      const bool measured = static_cast<int>(i) >= warmup;
      const auto t0 = Clock::now();
      if (measured) {
        std::lock_guard lock(windowMutex);
        if (t0 < firstMeasured) {
          firstMeasured = t0;
          cpuAtFirst = cpuSeconds();
        }
      }
      const Reply reply = client.send("POST", "/api/v1/orders/" + order.orderId + "/payments", body, headers);
      const auto t1 = Clock::now();
      if (reply.status != 201) {
        failures.add(describe(reply));
        continue;
      }
      rapidjson::Document doc;
      doc.Parse(reply.body.data(), reply.body.size());
      const auto& data = dataOf(doc);
      const std::string orderStatus = field(data, "status");
      const std::string paymentStatus =
          data.IsObject() && data.HasMember("payment_attempt") ? field(data["payment_attempt"], "status") : "";
      if (orderStatus != "confirmed" || paymentStatus != "captured") {
        failures.add("order " + orderStatus + ", payment " + paymentStatus);
        continue;
      }
      ++confirmed;
      if (measured) {
        samples[static_cast<std::size_t>(index)].push_back(ms(t1 - t0));
        std::lock_guard lock(windowMutex);
        lastDone = std::max(lastDone, t1);
      }
    }
  });
  const double cpu = cpuAtFirst < 0 ? 0 : cpuSeconds() - cpuAtFirst;
  std::vector<double> all;
  for (const auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  const Summary s = summarise(all);
  const double seconds = s.n == 0 ? 0 : std::chrono::duration<double>(lastDone - firstMeasured).count();
  std::printf(
      "ordersvc: POST /api/v1/orders/{id}/payments (stripe, pm_card_visa), concurrency %d: %zu measured after %d "
      "warm-up, %.1f s = %.1f payments/s; %ld confirmed, %ld failures\n",
      concurrency, s.n, warmup, seconds, seconds > 0 ? static_cast<double>(s.n) / seconds : 0.0, confirmed.load(),
      failures.total());
  printSummaryHeader();
  printSummary("payment", s);
  failures.print();
  std::printf("RESULT concurrency=%d per_s=%.2f seconds=%.2f confirmed=%ld failures=%ld client_cpu_s=%.2f %s\n",
              concurrency, seconds > 0 ? static_cast<double>(s.n) / seconds : 0.0, seconds, confirmed.load(),
              failures.total(), cpu, resultFields("lat", s).c_str());
  return 0;
}

// ===================================================================== webhooks
int runWebhooks(const Options& options) {
  std::vector<int> ports;
  for (const auto& p : splitOn(options.text("ports"), ',')) ports.push_back(std::stoi(p));
  const int concurrency = options.integer("concurrency", 8);
  const std::string secret = options.text("webhook-secret");
  const std::string org = options.text("org", "demo");
  const std::string instance = options.text("instance", "stripe");
  const std::string tag = options.text("tag", "run");
  const auto orders = readOrders(options.text("orders-file"));
  if (ports.size() != 2 || secret.empty() || orders.empty() || options.text("events-file").empty()) {
    std::fprintf(stderr,
                 "webhooks needs --ports=P1,P2, --webhook-secret, --events-file and a non-empty --orders-file\n");
    return 64;
  }
  const std::size_t n = orders.size();
  // The events, as Stripe would send them after the customer paid in the browser.
  std::vector<std::string> eventIds(n), bodies(n);
  {
    std::ofstream events(options.text("events-file"));
    const std::string created = std::to_string(unixSeconds());
    for (std::size_t i = 0; i < n; ++i) {
      const OrderLine& o = orders[i];  // order_id total payment_id intent_id
      eventIds[i] = "evt_" + tag + "_" + std::to_string(i);
      const std::string intent =
          R"({"id":")" + o.fourth + R"(","object":"payment_intent","amount":)" + o.total +
          R"(,"amount_capturable":0,"amount_received":)" + o.total +
          R"(,"capture_method":"automatic","client_secret":")" + o.fourth +
          R"(_secret_fake","confirmation_method":"automatic","created":)" + created +
          R"(,"currency":"clp","last_payment_error":null,"livemode":false,"metadata":{"organization_id":")" + org +
          R"(","payment_id":")" + o.third + R"(","order_id":")" + o.orderId +
          R"("},"next_action":null,"payment_method":"pm_card_visa","payment_method_types":["card"],"status":"succeeded"})";
      bodies[i] =
          R"({"id":")" + eventIds[i] + R"(","object":"event","api_version":"2023-08-16","created":)" + created +
          R"(,"data":{"object":)" + intent +
          R"(},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"payment_intent.succeeded"})";
      events << eventIds[i] << " " << o.orderId << " " << o.third << "\n";
    }
  }
  // Delivery 2i and 2i+1 are event i's two copies: adjacent, to different processes.
  struct Outcome {
    Clock::time_point start, end;
    int status = 0;
    bool duplicate = false;
    int attempts = 0;
  };
  std::vector<Outcome> outcomes(2 * n);
  std::atomic<std::size_t> next{0};
  Failures failures;
  std::atomic<long> retries{0};
  const std::string path = "/api/v1/webhooks/" + org + "/" + instance;
  const double cpu0 = cpuSeconds();
  const auto started = Clock::now();
  onThreads(concurrency, [&](int) {
    std::vector<std::unique_ptr<Client>> clients;
    for (int port : ports) clients.push_back(std::make_unique<Client>("127.0.0.1", port, true, 30));
    for (std::size_t d = next++; d < 2 * n; d = next++) {
      const std::size_t event = d / 2;
      const std::size_t process = (event + d % 2) % 2;
      Outcome& outcome = outcomes[d];
      Reply reply;
      for (int attempt = 1; attempt <= 6; ++attempt) {
        if (attempt > 1) {
          ++retries;
          std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
        }
        // Signed at sending, as Stripe does (the tolerance is 300 s).
        const std::string t = std::to_string(unixSeconds());
        const Headers headers = {
            {"Content-Type", "application/json; charset=utf-8"},
            {"User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"},
            {"Stripe-Signature", "t=" + t + ",v1=" + hmacSha256Hex(secret, t + "." + bodies[event])}};
        const auto t0 = Clock::now();
        reply = clients[process]->send("POST", path, bodies[event], headers);
        const auto t1 = Clock::now();
        if (attempt == 1) outcome.start = t0;
        outcome.end = t1;
        outcome.attempts = attempt;
        if (reply.status == 200) break;
        failures.add("delivery attempt: " + describe(reply));
      }
      outcome.status = reply.status;
      outcome.duplicate = reply.duplicate;
    }
  });
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const double cpu = cpuSeconds() - cpu0;

  std::vector<double> all, applied, duplicates;
  long appliedCount = 0, duplicateCount = 0, undelivered = 0, eventsAppliedOnce = 0, overlapping = 0;
  for (std::size_t i = 0; i < n; ++i) {
    int appliedHere = 0;
    for (std::size_t d = 2 * i; d < 2 * i + 2; ++d) {
      const Outcome& o = outcomes[d];
      const double latency = ms(o.end - o.start);
      if (o.status != 200) {
        ++undelivered;
        continue;
      }
      all.push_back(latency);
      if (o.duplicate) {
        ++duplicateCount;
        duplicates.push_back(latency);
      } else {
        ++appliedCount;
        ++appliedHere;
        applied.push_back(latency);
      }
    }
    if (appliedHere == 1) ++eventsAppliedOnce;
    const Outcome& a = outcomes[2 * i];
    const Outcome& b = outcomes[2 * i + 1];
    if (a.start < b.end && b.start < a.end) ++overlapping;
  }
  const Summary sAll = summarise(all), sApplied = summarise(applied), sDuplicate = summarise(duplicates);
  std::printf(
      "webhooks: %zu payment_intent.succeeded events x 2 deliveries, concurrency %d, alternating 2 processes: "
      "%.2f s = %.1f events/s (%.1f deliveries/s)\n",
      n, concurrency, seconds, static_cast<double>(n) / seconds, static_cast<double>(2 * n) / seconds);
  std::printf(
      "  answers: %ld applied, %ld \"X-Webhook-Duplicate: true\", %ld undelivered after retries; %ld retries; "
      "events applied by exactly one delivery: %ld of %zu; both copies in flight at once: %ld of %zu\n",
      appliedCount, duplicateCount, undelivered, retries.load(), eventsAppliedOnce, n, overlapping, n);
  printSummaryHeader();
  printSummary("every delivery", sAll);
  printSummary("  the one that applied", sApplied);
  printSummary("  the duplicate", sDuplicate);
  failures.print();
  std::printf("  load generator CPU %.2f cores\n", cpu / seconds);
  std::printf(
      "RESULT concurrency=%d events=%zu seconds=%.2f events_per_s=%.1f deliveries_per_s=%.1f applied=%ld "
      "duplicates=%ld "
      "undelivered=%ld retries=%ld applied_once=%ld overlapping=%ld client_cpu_s=%.2f %s %s %s\n",
      concurrency, n, seconds, static_cast<double>(n) / seconds, static_cast<double>(2 * n) / seconds, appliedCount,
      duplicateCount, undelivered, retries.load(), eventsAppliedOnce, overlapping, cpu,
      resultFields("lat", sAll).c_str(), resultFields("applied", sApplied).c_str(),
      resultFields("dup", sDuplicate).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  Options options;
  if (mode.empty() || !options.parse(argc, argv, 2)) {
    std::fprintf(stderr, "usage: %s fake-stripe|direct|place|pay|webhooks --key=value ... (see the source's header)\n",
                 argv[0]);
    return 64;
  }
  try {
    if (mode == "fake-stripe") return runFakeStripe(options);
    if (mode == "direct") return runDirect(options);
    if (mode == "place") return runPlace(options);
    if (mode == "pay") return runPay(options);
    if (mode == "webhooks") return runWebhooks(options);
  } catch (const Poco::Exception& e) {
    std::fprintf(stderr, "%s: %s\n", mode.c_str(), e.displayText().c_str());
    return 70;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", mode.c_str(), e.what());
    return 70;
  }
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 64;
}
