// The Stripe plugin against Stripe's published OpenAPI document (API version 2023-08-16,
// ../shared/specs/payments/stripe/openapi/):
//  1. every request of every operation, sent through the real host services to a Prism
//     mock of the prism-d2 profile, is accepted (2xx, no violation), and the plugin reads
//     Prism's answer into a payment result (Prism answers static data from the schemas:
//     every id is "string", so a result naming "string" proves the answer was read);
//  2. because that profile checks only scalar fields, every form field and query
//     parameter the plugin sends is also checked against the un-profiled subset: the name
//     (nested "a[b]" names too) must exist in the operation's request schema, and enums,
//     integers and booleans must hold what the schema allows.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include "prism_server.h"
#include "scripted_provider.h"
#include "stripe_test_support.h"

namespace ordersvc::testing {
namespace {

using Poco::JSON::Object;

constexpr const char* kPrismStaticId = "string";  // Prism's static value for every string

const char* kSession =
    R"({"payment_id":"pay_1","order_id":"ord_1","amount":{"value":2000,"currency":"USD"},"capture":"manual",)"
    R"("payment_method_types":["card"],"description":"Order 1","metadata":{"channel":"web"}})";
const char* kSaleNew =
    R"({"payment_id":"pay_1","order_id":"ord_1","amount":{"value":2000,"currency":"USD"},"description":"Order 1",)"
    R"("payment_method":{"type":"card","token":"pm_card_visa"},"metadata":{"channel":"web"}})";
const char* kSaleReturnUrl =
    R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},"return_url":"https://shop.example/back",)"
    R"("payment_method":{"type":"card","token":"pm_card_visa"}})";
const char* kAuthorizeConfirm =
    R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},"return_url":"https://shop.example/back",)"
    R"("payment_method":{"type":"card","token":"pm_card_visa"},)"
    R"("provider_data":{"payment_intent":"pi_123","operation":"authorize","capture_method":"manual",)"
    R"("payment_id":"pay_1","amount":{"value":2000,"currency":"USD"}}})";
const char* kSaleRead = R"({"payment_id":"pay_1","amount":{"value":2000,"currency":"USD"},)"
                        R"("provider_data":{"payment_intent":"pi_123","operation":"sale","payment_id":"pay_1",)"
                        R"("amount":{"value":2000,"currency":"USD"}}})";
const char* kCapture =
    R"({"payment_id":"pay_1","amount":{"value":1500,"currency":"USD"},)"
    R"("authorized_amount":{"value":2000,"currency":"USD"},)"
    R"("provider_reference":"pi_123","provider_data":{"payment_intent":"pi_123","operation":"authorize",)"
    R"("payment_id":"pay_1","amount":{"value":2000,"currency":"USD"}}})";
const char* kVoid =
    R"({"payment_id":"pay_1","authorized_amount":{"value":2000,"currency":"USD"},"reason":"abandoned",)"
    R"("provider_reference":"pi_123","provider_data":{"payment_intent":"pi_123","operation":"authorize",)"
    R"("payment_id":"pay_1","amount":{"value":2000,"currency":"USD"}}})";
const char* kRefund =
    R"({"payment_id":"pay_1","refund_id":"ref_1","amount":{"value":500,"currency":"USD"},)"
    R"("captured_amount":{"value":2000,"currency":"USD"},"reason":"other words","metadata":{"channel":"web"},)"
    R"("provider_reference":"pi_123","provider_data":{"payment_intent":"pi_123","operation":"sale",)"
    R"("payment_id":"pay_1","amount":{"value":2000,"currency":"USD"}}})";
const char* kRefundDuplicate =
    R"({"payment_id":"pay_1","refund_id":"ref_1","amount":{"value":500,"currency":"USD"},)"
    R"("captured_amount":{"value":2000,"currency":"USD"},"reason":"duplicate",)"
    R"("provider_reference":"pi_123","provider_data":{"payment_intent":"pi_123","operation":"sale",)"
    R"("payment_id":"pay_1","amount":{"value":2000,"currency":"USD"}}})";
const char* kSyncPayment =
    R"({"payment_id":"pay_1","provider_reference":"pi_123","provider_data":{"payment_intent":"pi_123",)"
    R"("operation":"sale","payment_id":"pay_1","amount":{"value":2000,"currency":"USD"}}})";
const char* kSyncUnansweredPayment =
    R"({"payment_id":"pay_1","provider_reference":"pay_1","provider_data":{"operation":"sale","payment_id":"pay_1",)"
    R"("amount":{"value":2000,"currency":"USD"}}})";
const char* kSyncRefund =
    R"({"payment_id":"pay_1","refund_id":"ref_1","provider_reference":"re_123","provider_data":{"operation":"refund",)"
    R"("refund":"re_123","refund_id":"ref_1","payment_intent":"pi_123","amount":{"value":500,"currency":"USD"}}})";
const char* kSyncUnansweredRefund =
    R"({"payment_id":"pay_1","refund_id":"ref_1","provider_reference":"ref_1","provider_data":{"operation":"refund",)"
    R"("refund_id":"ref_1","payment_intent":"pi_123","amount":{"value":500,"currency":"USD"}}})";

struct Exchange {
  const char* operation;
  const char* request;
  const char* method;  // what the plugin must send
  const char* path;
  // The result's provider_reference once Prism's answer is read: Prism's id, except for a
  // refund looked up by the host's refund id, which Prism's static metadata never names.
  const char* reference = kPrismStaticId;
};

// Every way the plugin talks to Stripe.
const Exchange kExchanges[] = {
    {"payment.create_session", kSession, "POST", "/v1/payment_intents"},
    {"payment.sale", kSaleNew, "POST", "/v1/payment_intents"},
    {"payment.sale", kSaleReturnUrl, "POST", "/v1/payment_intents"},
    {"payment.authorize", kAuthorizeConfirm, "POST", "/v1/payment_intents/pi_123/confirm"},
    {"payment.sale", kSaleRead, "GET", "/v1/payment_intents/pi_123"},
    {"payment.capture", kCapture, "POST", "/v1/payment_intents/pi_123/capture"},
    {"payment.void", kVoid, "POST", "/v1/payment_intents/pi_123/cancel"},
    {"payment.refund", kRefund, "POST", "/v1/refunds"},
    {"payment.refund", kRefundDuplicate, "POST", "/v1/refunds"},
    {"payment.sync", kSyncPayment, "GET", "/v1/payment_intents/pi_123"},
    {"payment.sync", kSyncUnansweredPayment, "GET", "/v1/payment_intents/search"},
    {"payment.sync", kSyncRefund, "GET", "/v1/refunds/re_123"},
    {"payment.sync", kSyncUnansweredRefund, "GET", "/v1/refunds", "ref_1"},
};

// --- 1. Prism -------------------------------------------------------------------------------------

class StripePrismContractTest : public StripePluginTest {
 protected:
  static void SetUpTestSuite() {
    prism_ = new PrismServer("payments/stripe/openapi/spec3.payment_intents-refunds-webhook_endpoints.prism-d2.json");
  }
  static void TearDownTestSuite() {
    delete prism_;
    prism_ = nullptr;
  }
  void SetUp() override {
    StripePluginTest::SetUp();
    ASSERT_TRUE(prism_->running()) << prism_->failure();
    ASSERT_NO_FATAL_FAILURE(activateStripe(prism_->baseUrl()));
  }

  static PrismServer* prism_;
};

PrismServer* StripePrismContractTest::prism_ = nullptr;

TEST_F(StripePrismContractTest, EveryRequestIsAcceptedByStripesDocumentAndTheAnswerIsRead) {
  int n = 0;
  for (const Exchange& exchange : kExchanges) {
    SCOPED_TRACE(std::string(exchange.operation) + " " + exchange.method + " " + exchange.path);
    const std::size_t violationsBefore = prism_->violations().size();
    auto result = callOk(exchange.operation, exchange.request, "idem-contract-" + std::to_string(++n));
    expectPaymentResultShape(result);
    EXPECT_EQ(prism_->violations().size(), violationsBefore) << prism_->log();
    // Not not_submitted / unknown for want of a readable answer: the reference is the id
    // Prism answered with.
    EXPECT_EQ(result->optValue<std::string>("provider_reference", ""), exchange.reference) << toJson(result);
  }
  EXPECT_TRUE(prism_->violations().empty()) << prism_->log();
}

TEST_F(StripePrismContractTest, SessionHandsOverPrismsClientSecret) {
  auto result = callOk("payment.create_session", kSession);
  ASSERT_TRUE(result->getObject("session")) << toJson(result);
  EXPECT_EQ(result->getObject("session")->getValue<std::string>("client_secret"), kPrismStaticId);
}

// --- 2. field names and values against the un-profiled subset ------------------------------

// The un-profiled subset, parsed once.
const Object::Ptr& stripeSpec() {
  static const Object::Ptr spec = [] {
    std::ifstream in(sharedSpecsDir() +
                     "/payments/stripe/openapi/spec3.payment_intents-refunds-webhook_endpoints.json");
    std::stringstream text;
    text << in.rdbuf();
    return Poco::JSON::Parser().parse(text.str()).extract<Object::Ptr>();
  }();
  return spec;
}

Object::Ptr resolve(Object::Ptr schema) {
  while (schema && schema->has("$ref")) {
    const std::string ref = schema->getValue<std::string>("$ref");
    const std::string name = ref.substr(ref.rfind('/') + 1);
    schema = stripeSpec()->getObject("components")->getObject("schemas")->getObject(name);
  }
  return schema;
}

// The schemas a value may match: the schema itself and, through anyOf / oneOf, each branch.
std::vector<Object::Ptr> alternatives(const Object::Ptr& schema) {
  std::vector<Object::Ptr> out;
  Object::Ptr resolved = resolve(schema);
  if (!resolved) return out;
  bool branched = false;
  for (const char* key : {"anyOf", "oneOf"}) {
    if (auto branches = resolved->getArray(key)) {
      branched = true;
      for (std::size_t i = 0; i < branches->size(); ++i) {
        for (const auto& inner : alternatives(branches->getObject(static_cast<unsigned>(i)))) out.push_back(inner);
      }
    }
  }
  if (!branched) out.push_back(resolved);
  return out;
}

// The schemas for member `segment` of a value of `schema` (a property, an array item for
// a numeric segment, or additionalProperties).
std::vector<Object::Ptr> member(const Object::Ptr& schema, const std::string& segment) {
  std::vector<Object::Ptr> out;
  for (const Object::Ptr& s : alternatives(schema)) {
    if (auto properties = s->getObject("properties"); properties && properties->has(segment)) {
      out.push_back(properties->getObject(segment));
    } else if (s->optValue<std::string>("type", "") == "array" && !segment.empty() &&
               segment.find_first_not_of("0123456789") == std::string::npos) {
      out.push_back(s->getObject("items"));
    } else if (auto additional = s->getObject("additionalProperties")) {
      out.push_back(additional);
    }
  }
  return out;
}

// Whether a scalar form value fits one of the schemas.
bool valueFits(const std::vector<Object::Ptr>& schemas, const std::string& value, std::string* why) {
  for (const Object::Ptr& candidate : schemas) {
    for (const Object::Ptr& s : alternatives(candidate)) {
      if (auto values = s->getArray("enum")) {
        for (std::size_t i = 0; i < values->size(); ++i) {
          if (values->get(static_cast<unsigned>(i)).toString() == value) return true;
        }
        continue;
      }
      const std::string type = s->optValue<std::string>("type", "string");
      const bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
      if (type == "integer" && digits) return true;
      if (type == "boolean" && (value == "true" || value == "false")) return true;
      if (type == "string") return true;
    }
  }
  *why = "\"" + value + "\" fits no schema of the field";
  return false;
}

// Problems of one form field ("metadata[order_id]" = "ord_1") against the request schema.
std::string checkField(const Object::Ptr& requestSchema, const std::string& name, const std::string& value) {
  std::vector<std::string> path;
  const std::size_t bracket = name.find('[');
  path.push_back(name.substr(0, bracket));
  for (std::size_t at = bracket; at != std::string::npos; at = name.find('[', at + 1)) {
    path.push_back(name.substr(at + 1, name.find(']', at) - at - 1));
  }
  std::vector<Object::Ptr> schemas{requestSchema};
  for (const std::string& segment : path) {
    std::vector<Object::Ptr> next;
    for (const auto& s : schemas) {
      for (const auto& m : member(s, segment)) next.push_back(m);
    }
    if (next.empty()) return name + ": \"" + segment + "\" is not in Stripe's request schema";
    schemas = next;
  }
  std::string why;
  return valueFits(schemas, value, &why) ? "" : name + ": " + why;
}

Object::Ptr operationOf(const std::string& method, const std::string& path) {
  // Paths in the document name their ids: /v1/payment_intents/{intent}/capture.
  auto paths = stripeSpec()->getObject("paths");
  for (const auto& [pattern, item] : *paths) {
    std::istringstream a(pattern), b(path);
    std::string x, y;
    bool same = true;
    while (true) {
      const bool more = static_cast<bool>(std::getline(a, x, '/'));
      if (more != static_cast<bool>(std::getline(b, y, '/'))) {
        same = false;
        break;
      }
      if (!more) break;
      if (x != y && !(x.size() > 2 && x.front() == '{')) {
        same = false;
        break;
      }
    }
    if (same) {
      std::string lower = method;
      for (char& c : lower) c = static_cast<char>(std::tolower(c));
      return item.extract<Object::Ptr>()->getObject(lower);
    }
  }
  return nullptr;
}

class StripeRequestSchemaTest : public StripePluginTest {};

TEST_F(StripeRequestSchemaTest, EveryFieldAndParameterThePluginSendsExistsInStripesDocumentWithAnAllowedValue) {
  ScriptedProvider stripe;  // answers 404: only what is sent matters here
  ASSERT_NO_FATAL_FAILURE(activateStripe(stripe.baseUrl()));
  for (const Exchange& exchange : kExchanges) {
    stripe.clear();
    (void)call(exchange.operation, exchange.request);
    auto requests = stripe.requests();
    ASSERT_EQ(requests.size(), 1u) << exchange.operation << " " << exchange.request;
    const auto& request = requests.front();
    SCOPED_TRACE(request.method + " " + request.path);
    EXPECT_EQ(request.method, exchange.method);
    EXPECT_EQ(request.path, exchange.path);
    Object::Ptr operation = operationOf(request.method, request.path);
    ASSERT_TRUE(operation) << "not in Stripe's document";
    if (request.method == "POST") {
      Object::Ptr schema = operation->getObject("requestBody")
                               ->getObject("content")
                               ->getObject("application/x-www-form-urlencoded")
                               ->getObject("schema");
      for (const auto& [name, value] : parseForm(request.body)) {
        const std::string problem = checkField(schema, name, value);
        EXPECT_TRUE(problem.empty()) << problem;
      }
    }
    // Query parameters must be the operation's own.
    for (const auto& [name, value] : parseForm(request.query)) {
      bool declared = false;
      auto parameters = operation->getArray("parameters");
      for (std::size_t i = 0; parameters && i < parameters->size(); ++i) {
        auto p = parameters->getObject(static_cast<unsigned>(i));
        declared = declared || (p->getValue<std::string>("in") == "query" && p->getValue<std::string>("name") == name);
      }
      EXPECT_TRUE(declared) << "query parameter " << name << " is not in Stripe's document";
    }
  }
}

TEST_F(StripeRequestSchemaTest, TheCheckRefusesNamesAndValuesStripesDocumentDoesNotHave) {
  Object::Ptr create = operationOf("POST", "/v1/payment_intents")
                           ->getObject("requestBody")
                           ->getObject("content")
                           ->getObject("application/x-www-form-urlencoded")
                           ->getObject("schema");
  EXPECT_EQ(checkField(create, "amount", "2000"), "");
  EXPECT_EQ(checkField(create, "metadata[anything]", "x"), "");
  EXPECT_EQ(checkField(create, "automatic_payment_methods[allow_redirects]", "never"), "");
  EXPECT_NE(checkField(create, "amount_total", "2000"), "");
  EXPECT_NE(checkField(create, "amount", "20.00"), "");
  EXPECT_NE(checkField(create, "capture_method", "later"), "");
  EXPECT_NE(checkField(create, "automatic_payment_methods[allow]", "never"), "");
  EXPECT_NE(checkField(create, "confirm", "yes"), "");
}

}  // namespace
}  // namespace ordersvc::testing
