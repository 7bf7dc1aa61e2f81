// Load generator for the complete order flow against a running ordersvc (driven by
// bench/order_flow.sh). Each client thread owns one keep-alive HTTP connection and one
// customer, and repeats until the measuring window closes:
//   create_cart  POST /api/v1/carts                 as a guest (X-Organization-Id), fresh cart
//   add_item_1   POST /api/v1/carts/{id}/items       first variant, X-Cart-Token
//   add_item_2   POST /api/v1/carts/{id}/items       second variant
//   checkout     POST /api/v1/orders/from-cart       the signed-in customer, X-Cart-Token
//   pay          POST /api/v1/orders/{id}/payments   cash, the checkout's total
// and counts the flow as complete only when the payment answer says "confirmed".
// Measures and prints; asserts nothing (the exit code is 0 even with failures, which are
// reported). With --cart-mode=customer the carts belong to the customer instead (the
// create answers the customer's active cart, which is new after every checkout).
//
// Customers: each thread signs its own HS256 token (sub "bench-<run>-<thread>", role
// order.customer, org_id) with the service's JWT secret, so orders spread over
// distinct customers the way the service's own tokens would name them.
//
// Usage: ordersvc_order_flow_bench --port=P --jwt-secret-file=F [--host=127.0.0.1]
//          [--concurrency=8] [--duration=20] [--warmup=3] [--org=demo]
//          [--variants=v_tee_m,v_coffee] [--cart-mode=guest|customer] [--timeout=10]
//          [--order-file=FILE]   (writes "<order_id> <customer token>" of a confirmed order)
// The last output line is machine-readable: RESULT key=value ...
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace {

using Clock = std::chrono::steady_clock;

enum Step { kCreateCart, kAddItem1, kAddItem2, kCheckout, kPay, kFlow, kStepCount };
constexpr const char* kStepNames[kStepCount] = {"create_cart", "add_item_1", "add_item_2",
                                                "checkout",    "pay",        "whole flow"};

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string jwtSecretFile;
  int concurrency = 8;
  double durationSeconds = 20;
  double warmupSeconds = 3;
  std::string org = "demo";
  std::vector<std::string> variants = {"v_tee_m", "v_coffee"};
  bool customerCarts = false;
  int timeoutSeconds = 10;
  std::string orderFile;
};

// What one client thread saw. Samples are milliseconds of steps that ended inside the
// measuring window.
struct ThreadResult {
  std::vector<double> samples[kStepCount];
  long flows = 0;
  std::map<std::string, long> failures;  // "step: status code/message" -> count
  std::string lastOrderId;
};

// One HTTP exchange's outcome.
struct Reply {
  int status = 0;
  std::string body;
  std::string error;  // transport problem, empty when an answer arrived
};

std::string signToken(const std::string& secret, const std::string& subject, const std::string& org) {
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

class Client {
 public:
  Client(const Options& options, std::string token) : options_(options), token_(std::move(token)) {
    session_.setHost(options.host);
    session_.setPort(static_cast<Poco::UInt16>(options.port));
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(options.timeoutSeconds, 0));
  }

  // POSTs `body` to `path`; `asCustomer` adds the bearer token, `cartToken` X-Cart-Token.
  Reply post(const std::string& path, const std::string& body, bool asCustomer, const std::string& cartToken) {
    Reply reply;
    try {
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
      request.setKeepAlive(true);
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      if (asCustomer)
        request.set("Authorization", "Bearer " + token_);
      else
        request.set("X-Organization-Id", options_.org);
      if (!cartToken.empty()) request.set("X-Cart-Token", cartToken);
      session_.sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::istream& in = session_.receiveResponse(response);
      Poco::StreamCopier::copyToString(in, reply.body);
      reply.status = static_cast<int>(response.getStatus());
    } catch (const Poco::Exception& e) {
      reply.error = e.displayText();
      session_.reset();  // a half-read answer must not be taken for the next one
    }
    return reply;
  }

  const std::string& token() const { return token_; }

 private:
  const Options& options_;
  std::string token_;
  Poco::Net::HTTPClientSession session_;
};

// Reads data.<field> of an envelope {"status":"success","data":{...}}; empty if absent.
std::string dataField(const rapidjson::Document& doc, const char* field) {
  if (!doc.IsObject() || !doc.HasMember("data") || !doc["data"].IsObject()) return "";
  const auto& data = doc["data"];
  if (!data.HasMember(field)) return "";
  const auto& value = data[field];
  if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
  // Numbers (the total) are passed on as their JSON text.
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

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

void runClient(const Options& options, const std::string& token, Clock::time_point windowStart,
               Clock::time_point windowEnd, ThreadResult& out) {
  Client client(options, token);
  const std::string address =
      R"({"name":"Bench Customer","line1":"Av. Providencia 1234","city":"Santiago","region":"RM","country":"CL"})";
  auto inWindow = [&](Clock::time_point t) { return t >= windowStart && t <= windowEnd; };
  auto record = [&](Step step, Clock::time_point started, Clock::time_point ended) {
    if (inWindow(ended))
      out.samples[step].push_back(std::chrono::duration<double, std::milli>(ended - started).count());
  };
  // Failures count over the whole run, warm-up and tail included: a request that stalls
  // past the window must not vanish from the report.
  auto failedBecause = [&](Step step, const std::string& why) {
    out.failures[std::string(kStepNames[step]) + ": " + why] += 1;
  };
  auto failed = [&](Step step, const Reply& reply) {
    failedBecause(step, describe(reply));
    // A refused connection fails at once; do not spin on it.
    if (!reply.error.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  };

  while (Clock::now() < windowEnd) {
    const auto flowStart = Clock::now();
    // 1. A fresh cart.
    auto t0 = Clock::now();
    Reply reply = client.post("/api/v1/carts", "{}", options.customerCarts, "");
    auto t1 = Clock::now();
    if (reply.status != 201) {
      failed(kCreateCart, reply);
      continue;
    }
    record(kCreateCart, t0, t1);
    rapidjson::Document doc;
    doc.Parse(reply.body.data(), reply.body.size());
    const std::string cartId = dataField(doc, "id");
    const std::string cartToken = options.customerCarts ? "" : dataField(doc, "cart_token");
    if (cartId.empty() || (!options.customerCarts && cartToken.empty())) {
      failedBecause(kCreateCart, "answer without id or cart_token");
      continue;
    }
    // 2, 3. Two variants.
    bool itemsAdded = true;
    for (int i = 0; i < 2; ++i) {
      const Step step = i == 0 ? kAddItem1 : kAddItem2;
      t0 = Clock::now();
      reply = client.post("/api/v1/carts/" + cartId + "/items",
                          R"({"variant_id":")" + options.variants[static_cast<std::size_t>(i)] + R"(","quantity":1})",
                          options.customerCarts, cartToken);
      t1 = Clock::now();
      if (reply.status != 201) {
        failed(step, reply);
        itemsAdded = false;
        break;
      }
      record(step, t0, t1);
    }
    if (!itemsAdded) continue;
    // 4. Checkout as the signed-in customer.
    t0 = Clock::now();
    reply =
        client.post("/api/v1/orders/from-cart",
                    R"({"cart_id":")" + cartId +
                        R"(","shipping_method":"standard","payment_method":"cash","shipping_address":)" + address + "}",
                    true, cartToken);
    t1 = Clock::now();
    if (reply.status != 201) {
      failed(kCheckout, reply);
      continue;
    }
    record(kCheckout, t0, t1);
    doc.Parse(reply.body.data(), reply.body.size());
    const std::string orderId = dataField(doc, "order_id");
    const std::string total = dataField(doc, "total");
    if (orderId.empty() || total.empty()) {
      failedBecause(kCheckout, "answer without order_id or total");
      continue;
    }
    // 5. Pay the total in cash.
    t0 = Clock::now();
    reply = client.post("/api/v1/orders/" + orderId + "/payments",
                        R"({"payment_method":"cash","amount":)" + total + R"(,"currency":"CLP"})", true, "");
    t1 = Clock::now();
    if (reply.status != 201) {
      failed(kPay, reply);
      continue;
    }
    doc.Parse(reply.body.data(), reply.body.size());
    if (dataField(doc, "status") != "confirmed") {
      failedBecause(kPay, "order status " + dataField(doc, "status") + ", not confirmed");
      continue;
    }
    record(kPay, t0, t1);
    record(kFlow, flowStart, t1);
    if (inWindow(t1)) ++out.flows;
    out.lastOrderId = orderId;
  }
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)];
}

double cpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool parseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) {
      std::fprintf(stderr, "unexpected argument %s\n", arg.c_str());
      return false;
    }
    const std::string key = arg.substr(2, eq - 2);
    const std::string value = arg.substr(eq + 1);
    try {
      if (key == "host")
        options.host = value;
      else if (key == "port")
        options.port = std::stoi(value);
      else if (key == "jwt-secret-file")
        options.jwtSecretFile = value;
      else if (key == "concurrency")
        options.concurrency = std::stoi(value);
      else if (key == "duration")
        options.durationSeconds = std::stod(value);
      else if (key == "warmup")
        options.warmupSeconds = std::stod(value);
      else if (key == "org")
        options.org = value;
      else if (key == "variants")
        options.variants = splitList(value);
      else if (key == "cart-mode")
        options.customerCarts = value == "customer";
      else if (key == "timeout")
        options.timeoutSeconds = std::stoi(value);
      else if (key == "order-file")
        options.orderFile = value;
      else {
        std::fprintf(stderr, "unknown option --%s\n", key.c_str());
        return false;
      }
    } catch (const std::exception&) {
      std::fprintf(stderr, "bad value for --%s: %s\n", key.c_str(), value.c_str());
      return false;
    }
  }
  return options.port > 0 && !options.jwtSecretFile.empty() && options.concurrency > 0 && options.variants.size() == 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: %s --port=P --jwt-secret-file=F [--host=H] [--concurrency=N] [--duration=S] [--warmup=S] "
                 "[--org=ID] [--variants=A,B] [--cart-mode=guest|customer] [--timeout=S] [--order-file=FILE]\n",
                 argv[0]);
    return 64;
  }
  std::string secret;
  std::getline(std::ifstream(options.jwtSecretFile), secret);
  if (secret.empty()) {
    std::fprintf(stderr, "cannot read a JWT secret from %s\n", options.jwtSecretFile.c_str());
    return 66;
  }

  // Distinct customers per run and thread, so reruns against one database never share one.
  const std::string run = std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);
  std::vector<std::string> tokens;
  for (int i = 0; i < options.concurrency; ++i) {
    tokens.push_back(signToken(secret, "bench-" + run + "-" + std::to_string(i), options.org));
  }

  std::vector<ThreadResult> results(static_cast<std::size_t>(options.concurrency));
  const auto start = Clock::now();
  const auto windowStart =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.warmupSeconds));
  const auto windowEnd =
      windowStart + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.durationSeconds));
  double cpuAtWindowStart = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < options.concurrency; ++i) {
    const auto index = static_cast<std::size_t>(i);
    threads.emplace_back([&, index] { runClient(options, tokens[index], windowStart, windowEnd, results[index]); });
  }
  std::this_thread::sleep_until(windowStart);
  cpuAtWindowStart = cpuSeconds();
  std::this_thread::sleep_until(windowEnd);
  const double cpuInWindow = cpuSeconds() - cpuAtWindowStart;
  for (auto& thread : threads) thread.join();

  // Merge.
  std::vector<double> all[kStepCount];
  std::map<std::string, long> failures;
  long flows = 0;
  long failureCount = 0;
  std::string orderId;
  std::string orderToken;
  for (std::size_t t = 0; t < results.size(); ++t) {
    for (int s = 0; s < kStepCount; ++s)
      all[s].insert(all[s].end(), results[t].samples[s].begin(), results[t].samples[s].end());
    for (const auto& [what, count] : results[t].failures) {
      failures[what] += count;
      failureCount += count;
    }
    flows += results[t].flows;
    if (orderId.empty() && !results[t].lastOrderId.empty()) {
      orderId = results[t].lastOrderId;
      orderToken = tokens[t];
    }
  }
  const double flowsPerSecond = static_cast<double>(flows) / options.durationSeconds;
  std::printf(
      "concurrency %d (%s carts): %ld complete flows in %.1f s = %.1f flows/s (%.0f requests/s); %ld failures "
      "(whole run)\n",
      options.concurrency, options.customerCarts ? "customer" : "guest", flows, options.durationSeconds, flowsPerSecond,
      flowsPerSecond * 5, failureCount);
  std::printf("  %-12s %8s %9s %9s %9s %9s\n", "step (ms)", "n", "p50", "p90", "p99", "max");
  for (int s = 0; s < kStepCount; ++s) {
    auto& v = all[s];
    std::sort(v.begin(), v.end());
    std::printf("  %-12s %8zu %9.2f %9.2f %9.2f %9.2f\n", kStepNames[s], v.size(), percentile(v, 50), percentile(v, 90),
                percentile(v, 99), v.empty() ? 0.0 : v.back());
  }
  for (const auto& [what, count] : failures) std::printf("  failure %-60s x%ld\n", what.c_str(), count);
  std::printf("  load generator CPU: %.2f s in the %.0f s window (%.2f cores)\n", cpuInWindow, options.durationSeconds,
              cpuInWindow / options.durationSeconds);
  if (!options.orderFile.empty() && !orderId.empty())
    std::ofstream(options.orderFile) << orderId << " " << orderToken << "\n";

  const auto p = [&](Step s, double q) { return percentile(all[s], q); };
  std::printf(
      "RESULT concurrency=%d flows=%ld seconds=%.1f flows_per_s=%.2f failures=%ld flow_p50_ms=%.2f "
      "flow_p90_ms=%.2f flow_p99_ms=%.2f checkout_p99_ms=%.2f pay_p99_ms=%.2f client_cpu_s=%.2f\n",
      options.concurrency, flows, options.durationSeconds, flowsPerSecond, failureCount, p(kFlow, 50), p(kFlow, 90),
      p(kFlow, 99), p(kCheckout, 99), p(kPay, 99), cpuInWindow);
  return 0;
}
