// The bundled reference plugins (payments/cash, carriers/local, tax/rate-table) loaded from
// their real shared libraries the way the host loads them (dlopen RTLD_NOW|RTLD_LOCAL,
// entry, negotiate, init with host services), configured through the factory and called
// through the C tables with JSON messages. Fixture: plugin_test_fixture.h.
#include <gtest/gtest.h>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/SHA2Engine.h>

#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "capture_sink.h"
#include "plugin_test_fixture.h"

namespace ordersvc::testing {
namespace {

using Poco::JSON::Object;

// ---------------------------------------------------------------------------------------
// Every reference plugin: entry, manifest, configuration schema.

class ReferencePluginTest : public PluginTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(ReferencePluginTest, EntryAndManifestDescribeTheSameLibrary) {
  const std::string id = GetParam();
  ASSERT_NO_FATAL_FAILURE(load(id));
  EXPECT_EQ(std::string(entry_->id), id);
  EXPECT_EQ(std::string(entry_->version), kBundledVersion);
  EXPECT_EQ(std::string(entry_->build_signature), OSP_BUILD_SIGNATURE);
  EXPECT_EQ(std::string(entry_->vendor), "ordersvc");
  EXPECT_EQ(entry_->built_minor, OSP_ABI_MINOR);
  EXPECT_LE(entry_->min_host_minor, entry_->built_minor);
  EXPECT_TRUE(entry_->flags & OSP_FLAG_UNLOAD_SAFE);
  uint32_t proposed = 7;  // a newer host: the plugin answers the minor it speaks
  EXPECT_EQ(entry_->negotiate(&proposed), OSP_OK);
  EXPECT_EQ(proposed, OSP_ABI_MINOR);
  EXPECT_EQ(entry_->get_interface("osp.nonexistent/1"), nullptr);

  const Object::Ptr manifest = parseJson(readFile(pluginDir(id) + "/plugin.json"));
  EXPECT_EQ(manifest->getValue<std::string>("id"), id);
  EXPECT_EQ(manifest->getValue<std::string>("version"), kBundledVersion);
  EXPECT_EQ(manifest->getValue<std::string>("name"), entry_->name);
  EXPECT_EQ(manifest->getValue<std::string>("library"), "lib" + id + ".so");
  EXPECT_EQ(intAt(manifest, "abi.major"), 1);
  EXPECT_EQ(intAt(manifest, "abi.min_minor"), 0);
  EXPECT_EQ(manifest->getArray("egress_hosts")->size(), 0u);

  Poco::SHA2Engine sha;
  const std::string library = readFile(pluginDir(id) + "/lib" + id + ".so");
  sha.update(library.data(), static_cast<unsigned>(library.size()));
  EXPECT_EQ(manifest->getValue<std::string>("sha256"), Poco::DigestEngine::digestToHex(sha.digest()));

  // Exactly the operations the manifest lists are non-NULL in the tables.
  std::set<std::string> listed;
  const Poco::JSON::Array::Ptr operations = manifest->getArray("operations");
  for (std::size_t i = 0; i < operations->size(); ++i) listed.insert(operations->getElement<std::string>(i));
  const std::string kind = manifest->getValue<std::string>("kind");
  for (const char* name : {"payment.sale", "payment.refund", "payment.sync", "carrier.list_services",
                           "carrier.quote_rates", "carrier.create_shipment", "carrier.cancel_shipment", "carrier.track",
                           "tax.calculate", "tax.commit", "tax.void"}) {
    EXPECT_EQ(operation(name) != nullptr, listed.count(name) == 1) << name;
    if (listed.count(name) == 1) {
      EXPECT_EQ(std::string(name).rfind(kind + ".", 0), 0u) << name;
    }
  }
  if (kind == "payment") {
    EXPECT_EQ(payment_->authorize, nullptr);  // not offered → NULL, not a stub
  }

  // The schema the library returns is the one in the manifest.
  CaptureSink schema;
  ASSERT_EQ(factory_->get_config_schema(schema.sink()), OSP_OK);
  std::ostringstream fromManifest;
  std::ostringstream fromLibrary;
  Poco::JSON::Stringifier::condense(manifest->get("config_schema"), fromManifest);
  Poco::JSON::Stringifier::condense(parseJson(schema.output()), fromLibrary);
  EXPECT_EQ(fromLibrary.str(), fromManifest.str());
  EXPECT_EQ(strAt(parseJson(schema.output()), "$schema"), "https://json-schema.org/draft/2020-12/schema");
}

TEST_P(ReferencePluginTest, ConfigThatIsNotJsonIsInvalidAndRefused) {
  ASSERT_NO_FATAL_FAILURE(load(GetParam()));
  const CallResult result = validateConfig("{not json");
  // osp_entry.h allows OSP_E_INVALID_ARGUMENT here; the SDK reports it as a problem at "".
  if (result.status == OSP_OK) {
    EXPECT_FALSE(result.body()->getValue<bool>("valid"));
    EXPECT_EQ(strAt(result.body(), "errors[0].path"), "");
  } else {
    EXPECT_EQ(result.status, OSP_E_INVALID_ARGUMENT);
  }
  const CallResult created = createInstanceFailure("{not json");
  EXPECT_EQ(created.status, OSP_E_CONFIG);
  EXPECT_EQ(created.errorCode, "config.invalid");
}

INSTANTIATE_TEST_SUITE_P(Bundled, ReferencePluginTest, ::testing::Values("cash", "local", "rate-table"),
                         [](const auto& info) {
                           return std::string(info.param) == "rate-table" ? std::string("rate_table")
                                                                          : std::string(info.param);
                         });

TEST(PluginSchemasTest, EveryOperationHasRequestAndResponseSchemas) {
  const std::filesystem::path root = ORDERSVC_PLUGIN_SCHEMAS_DIR;
  const std::vector<std::string> operations = {
      "tax/calculate",           "tax/commit",          "tax/void",
      "carrier/list_services",   "carrier/quote_rates", "carrier/create_shipment",
      "carrier/cancel_shipment", "carrier/track",       "payment/sale",
      "payment/refund",          "payment/sync"};
  std::vector<std::string> files = {"common.json"};
  for (const std::string& op : operations) {
    files.push_back(op + ".request.json");
    files.push_back(op + ".response.json");
  }
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const std::string text = readFile((root / file).string());
    ASSERT_FALSE(text.empty());
    const Object::Ptr schema = parseJson(text);
    EXPECT_EQ(schema->getValue<std::string>("$schema"), "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(schema->getValue<std::string>("$id"), "https://ordersvc.example/osp/1/" + file);
  }
}

// ---------------------------------------------------------------------------------------
// payments/cash

class CashPluginTest : public PluginTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(load("cash"));
    ASSERT_NE(payment_, nullptr);
    plain_ = createInstance("{}");
    chile_ = createInstance(R"({"currency_rounding":{"CLP":10}})");
    ASSERT_NE(plain_, nullptr);
    ASSERT_NE(chile_, nullptr);
  }

  CallResult sale(osp_instance* instance, int64_t amount, int64_t tendered, const std::string& currency,
                  const std::string& key = "sale-1") {
    return call("payment.sale", instance,
                R"({"payment_id":"pay_1","amount":)" + money(amount, currency) + R"(,"amount_tendered":)" +
                    money(tendered, currency) + R"(,"payment_method":{"type":"cash"}})",
                key);
  }

  osp_instance* plain_ = nullptr;
  osp_instance* chile_ = nullptr;
};

TEST_F(CashPluginTest, SaleGivesChange) {
  const CallResult r = sale(plain_, 1050, 2000, "USD");
  ASSERT_EQ(r.status, OSP_OK) << r.errorMessage;
  const Object::Ptr body = r.body();
  EXPECT_EQ(strAt(body, "status"), "succeeded");
  EXPECT_EQ(jsonAt(body, "amount"), canonical(money(1050, "USD")));
  EXPECT_EQ(jsonAt(body, "change"), canonical(money(950, "USD")));
  EXPECT_EQ(jsonAt(body, "rounding_adjustment"), canonical(money(0, "USD")));
  EXPECT_EQ(strAt(body, "provider_reference"), "cash_sale-1");
  EXPECT_EQ(strAt(body, "provider_data.state"), "succeeded");
}

TEST_F(CashPluginTest, SaleRoundsChileanPesosToTheTenPesoCoin) {
  struct Case {
    int64_t amount, due, adjustment;
  };
  // 1-5 round down, 6-9 up (an exact half goes to the customer); below half a coin: one coin.
  for (const Case c : {Case{1234, 1230, -4}, Case{1236, 1240, 4}, Case{1235, 1230, -5}, Case{1230, 1230, 0},
                       Case{4, 10, 6}, Case{99999, 100000, 1}}) {
    SCOPED_TRACE(c.amount);
    const CallResult r = sale(chile_, c.amount, 100000, "CLP");
    ASSERT_EQ(r.status, OSP_OK) << r.errorMessage;
    EXPECT_EQ(intAt(r.body(), "amount.value"), c.due);
    EXPECT_EQ(intAt(r.body(), "rounding_adjustment.value"), c.adjustment);
    EXPECT_EQ(intAt(r.body(), "change.value"), 100000 - c.due);
  }
  // Other currencies of the same instance, and CLP on an instance without the rule, are exact.
  EXPECT_EQ(intAt(sale(chile_, 1234, 2000, "USD").body(), "amount.value"), 1234);
  EXPECT_EQ(intAt(sale(plain_, 1234, 2000, "CLP").body(), "amount.value"), 1234);
}

TEST_F(CashPluginTest, TooLittleCashIsADeclineNotAnError) {
  const CallResult r = sale(chile_, 1236, 1235, "CLP");  // due 1240
  ASSERT_EQ(r.status, OSP_OK);
  const Object::Ptr body = r.body();
  EXPECT_EQ(strAt(body, "status"), "declined");
  EXPECT_EQ(strAt(body, "gateway_error.code"), "insufficient_tender");
  EXPECT_EQ(intAt(body, "amount.value"), 1240);
  EXPECT_TRUE(at(body, "change").isEmpty());
  // Rounding can make a smaller tender enough: 1234 is due as 1230.
  EXPECT_EQ(strAt(sale(chile_, 1234, 1230, "CLP").body(), "status"), "succeeded");
  EXPECT_EQ(intAt(sale(chile_, 1236, 1240, "CLP").body(), "change.value"), 0);
}

TEST_F(CashPluginTest, RetriesGetTheSameReferenceAndResult) {
  const CallResult first = sale(chile_, 1234, 2000, "CLP", "idem-42");
  const CallResult retry = sale(chile_, 1234, 2000, "CLP", "idem-42");
  EXPECT_EQ(first.json, retry.json);
  EXPECT_EQ(strAt(first.body(), "provider_reference"), "cash_idem-42");
  EXPECT_EQ(strAt(sale(chile_, 1234, 2000, "CLP", "idem-43").body(), "provider_reference"), "cash_idem-43");
  // Without an idempotency key the host's payment id keeps retries stable.
  EXPECT_EQ(strAt(sale(chile_, 1234, 2000, "CLP", "").body(), "provider_reference"), "cash_pay_1");
  // A very long key is hashed, so the reference stays a valid (<= 200 character) identifier.
  const std::string longKey(300, 'k');
  const std::string longReference = strAt(sale(chile_, 1234, 2000, "CLP", longKey).body(), "provider_reference");
  EXPECT_LE(longReference.size(), 200u);
  EXPECT_EQ(strAt(sale(chile_, 1234, 2000, "CLP", longKey).body(), "provider_reference"), longReference);
}

TEST_F(CashPluginTest, SaleNeedsTenderInTheSameCurrency) {
  CallResult r = call(
      "payment.sale", plain_,
      R"({"payment_id":"pay_1","amount":)" + money(100, "USD") + R"(,"amount_tendered":)" + money(100, "CLP") + "}");
  EXPECT_EQ(r.status, OSP_E_INVALID_ARGUMENT);
  r = call("payment.sale", plain_, R"({"payment_id":"pay_1","amount":)" + money(100, "USD") + "}");
  EXPECT_EQ(r.status, OSP_E_INVALID_ARGUMENT);
  EXPECT_NE(r.errorMessage.find("/amount_tendered"), std::string::npos) << r.errorMessage;
  r = call("payment.sale", plain_,
           R"({"payment_id":"pay_1","amount":)" + money(0, "USD") + R"(,"amount_tendered":)" + money(5, "USD") + "}");
  EXPECT_EQ(r.status, OSP_E_INVALID_ARGUMENT);
  EXPECT_NE(r.errorMessage.find("/amount/value"), std::string::npos) << r.errorMessage;
  r = call("payment.sale", plain_,
           R"({"payment_id":"pay_1","amount":)" + money(5, "USD") + R"(,"amount_tendered":)" + money(5, "USD") +
               R"(,"surprise":true})");
  EXPECT_EQ(r.status, OSP_E_INVALID_ARGUMENT);
  EXPECT_NE(r.errorMessage.find("/surprise"), std::string::npos) << r.errorMessage;
}

TEST_F(CashPluginTest, RefundsUpToWhatWasCaptured) {
  const Object::Ptr saleBody = sale(chile_, 1234, 2000, "CLP").body();  // captured 1230
  const std::string paymentData = jsonAt(saleBody, "provider_data");
  const auto refund = [&](int64_t amount, int64_t alreadyRefunded, const std::string& key) {
    return call("payment.refund", chile_,
                R"({"payment_id":"pay_1","refund_id":"ref_1","amount":)" + money(amount, "CLP") +
                    R"(,"captured_amount":)" + money(1230, "CLP") + R"(,"refunded_amount":)" +
                    money(alreadyRefunded, "CLP") + R"(,"provider_reference":"cash_sale-1","provider_data":)" +
                    paymentData + "}",
                key);
  };
  CallResult r = refund(500, 0, "refund-1");
  ASSERT_EQ(r.status, OSP_OK) << r.errorMessage;
  EXPECT_EQ(strAt(r.body(), "status"), "succeeded");
  EXPECT_EQ(jsonAt(r.body(), "amount"), canonical(money(500, "CLP")));
  EXPECT_EQ(strAt(r.body(), "provider_reference"), "cash_refund_refund-1");
  EXPECT_EQ(strAt(r.body(), "provider_data.payment_reference"), "cash_sale-1");

  EXPECT_EQ(refund(730, 500, "refund-2").status, OSP_OK);  // exactly the rest
  r = refund(731, 500, "refund-3");
  EXPECT_EQ(r.status, OSP_E_INVALID_ARGUMENT);
  EXPECT_EQ(r.errorCode, "refund.exceeds_captured");
  EXPECT_TRUE(host_.logged("exceeds"));
  EXPECT_EQ(refund(1231, 0, "refund-4").status, OSP_E_INVALID_ARGUMENT);
  EXPECT_EQ(refund(1, 1231, "refund-5").status, OSP_E_INVALID_ARGUMENT);
}

TEST_F(CashPluginTest, DeclinedSaleCannotBeRefunded) {
  const std::string data = jsonAt(sale(chile_, 1236, 100, "CLP").body(), "provider_data");
  const CallResult r =
      call("payment.refund", chile_,
           R"({"payment_id":"pay_1","refund_id":"ref_1","amount":)" + money(10, "CLP") + R"(,"captured_amount":)" +
               money(1240, "CLP") + R"(,"provider_reference":"cash_sale-1","provider_data":)" + data + "}");
  EXPECT_EQ(r.status, OSP_E_INVALID_ARGUMENT);
  EXPECT_EQ(r.errorCode, "refund.payment_not_captured");
}

TEST_F(CashPluginTest, SyncReportsWhatProviderDataRecorded) {
  const std::string succeeded = jsonAt(sale(chile_, 1234, 2000, "CLP").body(), "provider_data");
  CallResult r = call("payment.sync", chile_,
                      R"({"payment_id":"pay_1","provider_reference":"cash_sale-1","provider_data":)" + succeeded + "}");
  ASSERT_EQ(r.status, OSP_OK) << r.errorMessage;
  EXPECT_EQ(strAt(r.body(), "status"), "succeeded");
  EXPECT_EQ(jsonAt(r.body(), "amount"), canonical(money(1230, "CLP")));
  EXPECT_EQ(jsonAt(r.body(), "provider_data"), succeeded);

  const std::string declined = jsonAt(sale(chile_, 1236, 100, "CLP").body(), "provider_data");
  r = call("payment.sync", chile_,
           R"({"payment_id":"pay_1","provider_reference":"cash_sale-1","provider_data":)" + declined + "}");
  EXPECT_EQ(strAt(r.body(), "status"), "declined");
  EXPECT_EQ(strAt(r.body(), "gateway_error.code"), "insufficient_tender");

  r = call("payment.sync", chile_, R"({"payment_id":"pay_1","provider_reference":"x","provider_data":{}})");
  EXPECT_EQ(r.status, OSP_E_INVALID_ARGUMENT);
}

TEST_F(CashPluginTest, MalformedRequestsAreInvalidArgumentsNotCrashes) {
  for (const char* name : {"payment.sale", "payment.refund", "payment.sync"}) expectRejectsMalformed(name, chile_);
}

TEST_F(CashPluginTest, BadConfigIsRejectedWithPaths) {
  EXPECT_EQ(problemPaths(R"({"currency_rounding":{"clp":10,"USD":0,"EUR":"5","JPY":1.5},"extra":1})"),
            (std::set<std::string>{"/currency_rounding/clp", "/currency_rounding/USD", "/currency_rounding/EUR",
                                   "/currency_rounding/JPY", "/extra"}));
  EXPECT_EQ(problemPaths(R"({"currency_rounding":[10]})"), (std::set<std::string>{"/currency_rounding"}));
  const CallResult r = createInstanceFailure(R"({"currency_rounding":{"CLP":-10}})");
  EXPECT_EQ(r.status, OSP_E_CONFIG);
  EXPECT_NE(r.errorMessage.find("/currency_rounding/CLP"), std::string::npos) << r.errorMessage;
  EXPECT_TRUE(validateConfig(R"({"currency_rounding":{"CLP":10,"CHF":5}})").body()->getValue<bool>("valid"));
}

// ---------------------------------------------------------------------------------------
// carriers/local

constexpr char kLocalConfig[] = R"({
  "origin_country": "CL",
  "services": [
    {"code": "standard", "name": "Standard", "estimated_days": {"min": 2, "max": 4}},
    {"code": "express", "name": "Express"}
  ],
  "zones": [
    {"name": "santiago", "countries": ["CL"], "regions": ["RM"], "rates": {
      "standard": [
        {"max_weight_grams": 1000, "price": {"value": 2990, "currency": "CLP"}},
        {"min_weight_grams": 1001, "max_weight_grams": 5000, "price": {"value": 4990, "currency": "CLP"}}],
      "express": [{"max_weight_grams": 5000, "price": {"value": 6990, "currency": "CLP"}}]}},
    {"name": "valparaiso", "countries": ["CL"], "postal_code_prefixes": ["23"], "rates": {
      "standard": [{"max_weight_grams": 20000, "price": {"value": 5990, "currency": "CLP"}}]}},
    {"name": "chile", "countries": ["CL"], "rates": {
      "standard": [{"max_weight_grams": 20000, "price": {"value": 7990, "currency": "CLP"}}]}},
    {"name": "andes", "countries": ["PE", "BO"], "rates": {
      "standard": [{"max_weight_grams": 10000, "price": {"value": 2500, "currency": "USD"}}]}}
  ]
})";

class LocalCarrierTest : public PluginTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(load("local"));
    ASSERT_NE(carrier_, nullptr);
    instance_ = createInstance(kLocalConfig);
    ASSERT_NE(instance_, nullptr);
  }

  Object::Ptr quote(const std::string& shipTo, const std::vector<int>& weights, const std::string& services = "") {
    std::string parcels;
    for (int w : weights)
      parcels += (parcels.empty() ? "" : ",") + std::string(R"({"weight_grams":)") + std::to_string(w) + "}";
    const CallResult r = call("carrier.quote_rates", instance_,
                              R"({"ship_to":)" + shipTo + R"(,"parcels":[)" + parcels + "]" +
                                  (services.empty() ? "" : R"(,"services":)" + services) + "}");
    EXPECT_EQ(r.status, OSP_OK) << r.errorMessage;
    return r.status == OSP_OK ? r.body() : Object::Ptr(new Object);
  }

  static std::string shipment(const std::string& city = "Santiago", const std::string& region = "RM",
                              const std::string& country = "CL", const std::string& extra = "") {
    return R"({"shipment_id":"shp_1","order_id":"ord_1","service_code":"standard",
      "ship_from":{"contact":{"name":"Bodega Central"},"address":{"line1":"Av. Matta 100","city":"Santiago","region":"RM","country":"CL"}},
      "ship_to":{"contact":{"name":"María Peña"},"address":{"line1":"Irarrázaval 2000","city":")" +
           city + R"(","region":")" + region + R"(","country":")" + country + R"("}},
      "parcels":[{"weight_grams":1200},{"weight_grams":300,"length_mm":200,"width_mm":100,"height_mm":50}],
      "reference":"ORD-2026-000123")" +
           extra + "}";
  }

  osp_instance* instance_ = nullptr;
};

TEST_F(LocalCarrierTest, ListsServicesWithTheirReach) {
  const CallResult r = call("carrier.list_services", instance_, "{}");
  ASSERT_EQ(r.status, OSP_OK);
  const Object::Ptr body = r.body();
  EXPECT_EQ(strAt(body, "services[0].code"), "standard");
  EXPECT_TRUE(at(body, "services[0].domestic").convert<bool>());
  EXPECT_TRUE(at(body, "services[0].international").convert<bool>());  // andes
  EXPECT_EQ(jsonAt(body, "services[0].estimated_days"), canonical(R"({"min":2,"max":4})"));
  EXPECT_EQ(strAt(body, "services[1].code"), "express");
  EXPECT_TRUE(at(body, "services[1].domestic").convert<bool>());
  EXPECT_FALSE(at(body, "services[1].international").convert<bool>());
  EXPECT_EQ(call("carrier.list_services", instance_, R"({"x":1})").status, OSP_E_INVALID_ARGUMENT);
}

TEST_F(LocalCarrierTest, PricesByZoneAndSummedWeightBracket) {
  const std::string santiago = R"({"city":"Santiago","region":"RM","country":"CL"})";
  Object::Ptr body = quote(santiago, {1200, 300});  // 1500 g: second bracket
  EXPECT_EQ(jsonAt(body, "rates[0].amount"), canonical(money(4990, "CLP")));
  EXPECT_EQ(strAt(body, "rates[0].provider_data.zone"), "santiago");
  EXPECT_EQ(intAt(body, "rates[0].provider_data.billable_weight_grams"), 1500);
  EXPECT_TRUE(at(body, "rates[0].tax_inclusive").convert<bool>());
  EXPECT_EQ(jsonAt(body, "rates[1].amount"), canonical(money(6990, "CLP")));
  EXPECT_EQ(body->getArray("unavailable")->size(), 0u);

  // Bounds are inclusive on both ends; regions compare without regard to case.
  EXPECT_EQ(intAt(quote(santiago, {1000}), "rates[0].amount.value"), 2990);
  EXPECT_EQ(intAt(quote(santiago, {1001}), "rates[0].amount.value"), 4990);
  EXPECT_EQ(intAt(quote(R"({"region":"rm","country":"CL"})", {500}), "rates[0].amount.value"), 2990);

  // Postal-code prefix zone (hyphen ignored); express is not offered there.
  body = quote(R"({"city":"Valparaíso","region":"V","postal_code":"234-0000","country":"CL"})", {1500});
  EXPECT_EQ(strAt(body, "rates[0].provider_data.zone"), "valparaiso");
  EXPECT_EQ(intAt(body, "rates[0].amount.value"), 5990);
  EXPECT_EQ(strAt(body, "unavailable[0].service_code"), "express");
  EXPECT_EQ(strAt(body, "unavailable[0].reason"), "service_not_offered");

  // The first matching zone wins: the rest of Chile falls through to "chile".
  EXPECT_EQ(strAt(quote(R"({"region":"BI","country":"CL"})", {1500}), "rates[0].provider_data.zone"), "chile");
  EXPECT_EQ(jsonAt(quote(R"({"country":"PE"})", {1500}), "rates[0].amount"), canonical(money(2500, "USD")));
}

TEST_F(LocalCarrierTest, DestinationsInNoZoneAreNotServed) {
  const Object::Ptr body = quote(R"({"city":"Mendoza","country":"AR"})", {500});
  EXPECT_EQ(body->getArray("rates")->size(), 0u);
  ASSERT_EQ(body->getArray("unavailable")->size(), 2u);
  for (const char* path : {"unavailable[0]", "unavailable[1]"}) {
    EXPECT_EQ(strAt(body, std::string(path) + ".reason"), "destination_not_served");
  }
  EXPECT_EQ(strAt(body, "unavailable[0].service_code"), "standard");
}

TEST_F(LocalCarrierTest, WeightsBeyondEveryBracketAreOutOfRange) {
  const Object::Ptr body = quote(R"({"region":"RM","country":"CL"})", {3000, 3000});
  EXPECT_EQ(body->getArray("rates")->size(), 0u);
  EXPECT_EQ(strAt(body, "unavailable[0].reason"), "weight_out_of_range");
  EXPECT_EQ(strAt(body, "unavailable[1].reason"), "weight_out_of_range");
}

TEST_F(LocalCarrierTest, QuotesOnlyRequestedServices) {
  const Object::Ptr body = quote(R"({"region":"RM","country":"CL"})", {500}, R"(["express","overnight"])");
  ASSERT_EQ(body->getArray("rates")->size(), 1u);
  EXPECT_EQ(strAt(body, "rates[0].service_code"), "express");
  EXPECT_EQ(strAt(body, "unavailable[0].service_code"), "overnight");
  EXPECT_EQ(strAt(body, "unavailable[0].reason"), "unknown_service");
}

TEST_F(LocalCarrierTest, BookingTakesTrackingNumbersFromTheHostCounter) {
  CallResult first = call("carrier.create_shipment", instance_, shipment(), "book-1");
  ASSERT_EQ(first.status, OSP_OK) << first.errorMessage;
  const Object::Ptr body = first.body();
  EXPECT_EQ(strAt(body, "status"), "succeeded");
  EXPECT_EQ(strAt(body, "tracking_number"), "LOC-00000001");
  EXPECT_EQ(jsonAt(body, "amount"), canonical(money(4990, "CLP")));
  EXPECT_EQ(strAt(body, "provider_data.created_at"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(strAt(call("carrier.create_shipment", instance_, shipment(), "book-2").body(), "tracking_number"),
            "LOC-00000002");
  // A retry of the first booking gets its number back, not a third one.
  const CallResult retry = call("carrier.create_shipment", instance_, shipment(), "book-1");
  EXPECT_EQ(strAt(retry.body(), "tracking_number"), "LOC-00000001");
  EXPECT_EQ(jsonAt(retry.body(), "labels"), jsonAt(body, "labels"));
  EXPECT_EQ(host_.kvValueForTest("org_1", "tracking_counter"), "2");
  // Counters belong to the organization.
  EXPECT_EQ(strAt(call("carrier.create_shipment", instance_, shipment(), "book-1", "org_2").body(), "tracking_number"),
            "LOC-00000001");

  // The label is a well-formed one-page PDF: every xref offset points at its object.
  EXPECT_EQ(strAt(body, "labels[0].media_type"), "application/pdf");
  EXPECT_EQ(strAt(body, "labels[0].filename"), "LOC-00000001.pdf");
  const std::string pdf = base64Decode(strAt(body, "labels[0].content_base64"));
  EXPECT_EQ(pdf.rfind("%PDF-1.4\n", 0), 0u);
  EXPECT_EQ(pdf.substr(pdf.size() - 6), "%%EOF\n");
  EXPECT_NE(pdf.find("(LOC-00000001)"), std::string::npos);
  EXPECT_NE(pdf.find("(Mar\\355a Pe\\361a)"), std::string::npos);  // WinAnsi for "María Peña"
  const std::size_t startxref = pdf.rfind("startxref\n");
  const std::size_t xref = std::stoul(pdf.substr(startxref + 10));
  ASSERT_EQ(pdf.compare(xref, 5, "xref\n"), 0);
  for (int object = 1; object <= 5; ++object) {
    const std::size_t entry = xref + 5 + 4 + 20 * object;  // "xref\n" "0 6\n", 20-byte entries
    const std::size_t offset = std::stoul(pdf.substr(entry, 10));
    EXPECT_EQ(pdf.compare(offset, std::to_string(object).size() + 6, std::to_string(object) + " 0 obj"), 0) << object;
  }
}

TEST_F(LocalCarrierTest, TextLabelsOnRequestAndOtherFormatsUnsupported) {
  const CallResult r =
      call("carrier.create_shipment", instance_, shipment("Ñuñoa", "RM", "CL", R"(,"label_format":"text")"), "text-1");
  ASSERT_EQ(r.status, OSP_OK) << r.errorMessage;
  EXPECT_EQ(strAt(r.body(), "labels[0].media_type"), "text/plain; charset=utf-8");
  const std::string text = base64Decode(strAt(r.body(), "labels[0].content_base64"));
  EXPECT_NE(text.find("LOC-00000001"), std::string::npos);
  EXPECT_NE(text.find("Ñuñoa RM"), std::string::npos) << text;
  EXPECT_NE(text.find("Reference: ORD-2026-000123"), std::string::npos);

  const CallResult zpl =
      call("carrier.create_shipment", instance_, shipment("Santiago", "RM", "CL", R"(,"label_format":"zpl")"));
  EXPECT_EQ(zpl.status, OSP_E_UNSUPPORTED);
  EXPECT_EQ(zpl.errorCode, "label.format_unsupported");
}

TEST_F(LocalCarrierTest, WithoutKeyValueServiceNumbersComeFromTheIdempotencyKey) {
  host_.setKvAvailableForTest(false);
  const auto number = [&](const std::string& key, const std::string& org) {
    return strAt(call("carrier.create_shipment", instance_, shipment(), key, org).body(), "tracking_number");
  };
  const std::string first = number("book-1", "org_1");
  EXPECT_EQ(first.size(), 4u + 16u);
  EXPECT_EQ(first.rfind("LOC-", 0), 0u);
  EXPECT_EQ(number("book-1", "org_1"), first);
  EXPECT_NE(number("book-2", "org_1"), first);
  EXPECT_NE(number("book-1", "org_2"), first);
  EXPECT_EQ(host_.kvCallsForTest(), 0);
}

TEST_F(LocalCarrierTest, KeyValueFailureIsTransientAndBooksNothing) {
  host_.failKvForTest(OSP_E_TRANSIENT);
  const CallResult r = call("carrier.create_shipment", instance_, shipment());
  EXPECT_EQ(r.status, OSP_E_TRANSIENT);
  EXPECT_EQ(r.errorCode, "kv.failed");
  host_.failKvForTest(OSP_E_DEADLINE);
  EXPECT_EQ(call("carrier.create_shipment", instance_, shipment()).status, OSP_E_DEADLINE);
}

TEST_F(LocalCarrierTest, UnservedBookingsAreDeclinedWithoutSpendingANumber) {
  const CallResult r = call("carrier.create_shipment", instance_, shipment("Lima", "LIM", "AR"));
  ASSERT_EQ(r.status, OSP_OK);
  EXPECT_EQ(strAt(r.body(), "status"), "declined");
  EXPECT_EQ(strAt(r.body(), "provider_error.code"), "destination_not_served");
  EXPECT_EQ(host_.kvCallsForTest(), 0);

  std::string unknown = shipment();
  unknown.replace(unknown.find("\"standard\""), 10, "\"overnight\"");
  EXPECT_EQ(call("carrier.create_shipment", instance_, unknown).errorCode, "shipment.unknown_service");
  std::string noStreet = shipment();
  noStreet.replace(noStreet.find(R"("line1":"Irarrázaval 2000",)"),
                   std::string(R"("line1":"Irarrázaval 2000",)").size(), "");
  const CallResult missing = call("carrier.create_shipment", instance_, noStreet);
  EXPECT_EQ(missing.status, OSP_E_INVALID_ARGUMENT);
  EXPECT_NE(missing.errorMessage.find("/ship_to/address/line1"), std::string::npos) << missing.errorMessage;
}

TEST_F(LocalCarrierTest, TracksManualEventsAndCancelsUntilPickedUp) {
  const Object::Ptr booked = call("carrier.create_shipment", instance_, shipment()).body();
  const std::string data = jsonAt(booked, "provider_data");
  const auto track = [&](const std::string& providerData) {
    return call("carrier.track", instance_,
                R"({"shipments":[{"tracking_number":"LOC-00000001","provider_data":)" + providerData + "}]}");
  };
  Object::Ptr body = track(data).body();
  EXPECT_EQ(strAt(body, "shipments[0].status"), "label_created");
  EXPECT_EQ(strAt(body, "shipments[0].events[0].occurred_at"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(body->getArray("shipments")->getObject(0)->getArray("events")->size(), 1u);

  // Events the host recorded come back as they are, oldest first.
  const std::string moving = R"({"events":[
      {"status":"label_created","occurred_at":"2026-01-01T00:00:00Z"},
      {"status":"picked_up","occurred_at":"2026-01-01T10:00:00Z","description":"Retirado"},
      {"status":"in_transit","occurred_at":"2026-01-01T12:00:00Z","location":{"city":"Santiago","country":"CL"}}]})";
  body = track(moving).body();
  EXPECT_EQ(strAt(body, "shipments[0].status"), "in_transit");
  EXPECT_EQ(strAt(body, "shipments[0].events[1].description"), "Retirado");
  const CallResult bad = track(R"({"events":[{"status":"teleported","occurred_at":"2026-01-01T00:00:00Z"}]})");
  EXPECT_EQ(bad.status, OSP_E_INVALID_ARGUMENT);
  EXPECT_NE(bad.errorMessage.find("/shipments/0/provider_data/events/0/status"), std::string::npos) << bad.errorMessage;

  const auto cancel = [&](const std::string& providerData) {
    return call("carrier.cancel_shipment", instance_,
                R"({"shipment_id":"shp_1","tracking_number":"LOC-00000001","provider_data":)" + providerData + "}");
  };
  const CallResult refused = cancel(moving);
  EXPECT_EQ(strAt(refused.body(), "status"), "declined");
  EXPECT_EQ(strAt(refused.body(), "provider_error.code"), "already_picked_up");

  host_.setNowForTest(1767229200000);  // one hour later
  const Object::Ptr cancelled = cancel(data).body();
  EXPECT_EQ(strAt(cancelled, "status"), "succeeded");
  EXPECT_EQ(strAt(cancelled, "provider_data.state"), "cancelled");
  EXPECT_EQ(strAt(cancelled, "provider_data.tracking_number"), "LOC-00000001");
  body = track(jsonAt(cancelled, "provider_data")).body();
  EXPECT_EQ(strAt(body, "shipments[0].status"), "cancelled");
  EXPECT_EQ(strAt(body, "shipments[0].events[0].status"), "label_created");
  EXPECT_EQ(strAt(body, "shipments[0].events[1].occurred_at"), "2026-01-01T01:00:00Z");
  // Cancelling again finds it done.
  EXPECT_EQ(strAt(cancel(jsonAt(cancelled, "provider_data")).body(), "status"), "succeeded");
}

TEST_F(LocalCarrierTest, ConcurrentBookingsGetDistinctNumbers) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::mutex mutex;
  std::set<std::string> numbers;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const CallContext ctx("org_1", "key-" + std::to_string(t) + "-" + std::to_string(i));
        CaptureSink out;
        const std::string request = shipment();
        if (carrier_->create_shipment(instance_, ctx.get(), bytes(request), out.sink()) != OSP_OK) continue;
        const std::string number = strAt(parseJson(out.output()), "tracking_number");
        std::lock_guard<std::mutex> lock(mutex);
        numbers.insert(number);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(numbers.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(host_.kvValueForTest("org_1", "tracking_counter"), std::to_string(kThreads * kPerThread));
}

TEST_F(LocalCarrierTest, MalformedRequestsAreInvalidArgumentsNotCrashes) {
  for (const char* name : {"carrier.list_services", "carrier.quote_rates", "carrier.create_shipment",
                           "carrier.cancel_shipment", "carrier.track"}) {
    expectRejectsMalformed(name, instance_);
  }
}

TEST_F(LocalCarrierTest, BadRateCardsAreRejectedWithPaths) {
  const std::string config = R"({
    "origin_country": "Chile",
    "services": [{"code": "standard", "name": "Standard"}, {"code": "standard", "name": "Again"}],
    "zones": [
      {"name": "z", "countries": ["CL", "cl"], "rates": {
        "standard": [
          {"max_weight_grams": 1000, "price": {"value": -1, "currency": "CLP"}},
          {"min_weight_grams": 1001, "max_weight_grams": 3000, "price": {"value": 100, "currency": "clp"}},
          {"min_weight_grams": 500, "max_weight_grams": 1500, "price": {"value": 100, "currency": "CLP"}},
          {"min_weight_grams": 4000, "max_weight_grams": 3500, "price": {"value": 100, "currency": "CLP"}}],
        "overnight": [{"max_weight_grams": 1, "price": {"value": 1, "currency": "CLP"}}]}},
      {"name": "z", "countries": ["PE"], "postal_code_prefixes": ["15*"], "rates": {}}
    ]})";
  EXPECT_EQ(problemPaths(config),
            (std::set<std::string>{"/origin_country", "/services/1/code", "/zones/0/countries/1",
                                   "/zones/0/rates/standard/0/price/value", "/zones/0/rates/standard/1/price/currency",
                                   "/zones/0/rates/standard/2", "/zones/0/rates/standard/3/min_weight_grams",
                                   "/zones/0/rates/overnight", "/zones/1/postal_code_prefixes/0", "/zones/1/rates"}));
  // Overlap is reported against the bracket it overlaps.
  const CallResult r = validateConfig(config);
  EXPECT_NE(r.json.find("overlaps /zones/0/rates/standard/0"), std::string::npos) << r.json;
  EXPECT_EQ(createInstanceFailure(config).status, OSP_E_CONFIG);
  EXPECT_EQ(problemPaths(R"({"services":[],"zones":[]})"),
            (std::set<std::string>{"/origin_country", "/services", "/zones"}));
}

// ---------------------------------------------------------------------------------------
// tax/rate-table

constexpr char kRatesExclusive[] = R"({
  "prices_include_tax": false,
  "rates": [
    {"country": "CL", "tax_class": "standard", "rate_percent": "19", "name": "IVA"},
    {"country": "PE", "tax_class": "standard", "rate_percent": "18", "name": "IGV"},
    {"country": "MX", "tax_class": "standard", "rate_percent": "16", "name": "IVA"},
    {"country": "MX", "region": "BCN", "tax_class": "standard", "rate_percent": "8", "name": "IVA frontera"},
    {"country": "US", "region": "NY", "tax_class": "standard", "rate_percent": "8.875"}
  ]})";

class RateTableTest : public PluginTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(load("rate-table"));
    ASSERT_NE(tax_, nullptr);
    exclusive_ = createInstance(kRatesExclusive);
    std::string inclusive = kRatesExclusive;
    inclusive.replace(inclusive.find("false"), 5, "true");
    inclusive_ = createInstance(inclusive);
    ASSERT_NE(exclusive_, nullptr);
    ASSERT_NE(inclusive_, nullptr);
  }

  // lines: (id, amount, tax class)
  CallResult calculate(osp_instance* instance, const std::string& currency, const std::string& shipTo,
                       const std::vector<std::tuple<std::string, int64_t, std::string>>& lines,
                       const std::string& extra = "") {
    std::string items;
    for (const auto& [id, amount, taxClass] : lines) {
      items += (items.empty() ? "" : ",") + std::string(R"({"id":")") + id + R"(","amount":)" +
               money(amount, currency) + R"(,"quantity":1,"tax_class":")" + taxClass + R"("})";
    }
    return call("tax.calculate", instance,
                R"({"reference":"ord_1","currency":")" + currency + R"(","ship_to":)" + shipTo + R"(,"lines":[)" +
                    items + "]" + extra + "}");
  }

  osp_instance* exclusive_ = nullptr;
  osp_instance* inclusive_ = nullptr;
};

const std::string kChile = R"({"region":"RM","country":"CL"})";

TEST_F(RateTableTest, ChileanVatOnNetPricesRoundsEachLineHalfUp) {
  const CallResult r =
      calculate(exclusive_, "CLP", kChile, {{"a", 1000, "standard"}, {"b", 2350, "standard"}, {"c", 1234, "standard"}},
                R"(,"shipping":{"amount":)" + money(3990, "CLP") + "}");
  ASSERT_EQ(r.status, OSP_OK) << r.errorMessage;
  const Object::Ptr body = r.body();
  EXPECT_FALSE(at(body, "prices_include_tax").convert<bool>());
  EXPECT_EQ(intAt(body, "lines[0].tax_amount.value"), 190);
  EXPECT_EQ(intAt(body, "lines[1].tax_amount.value"), 447);  // 446.5 rounds up
  EXPECT_EQ(strAt(body, "lines[1].rounding.unrounded_tax"), "446.5");
  EXPECT_EQ(intAt(body, "lines[1].rounding.decimals"), 0);
  EXPECT_EQ(intAt(body, "lines[2].tax_amount.value"), 234);  // 234.46 rounds down
  EXPECT_EQ(intAt(body, "lines[2].gross_amount.value"), 1468);
  EXPECT_EQ(strAt(body, "lines[0].rate_percent"), "19");
  EXPECT_EQ(strAt(body, "lines[0].tax_name"), "IVA");
  EXPECT_EQ(strAt(body, "lines[0].jurisdiction.country"), "CL");
  EXPECT_EQ(intAt(body, "shipping.tax_amount.value"), 758);  // 758.1
  EXPECT_EQ(jsonAt(body, "total_tax"), canonical(money(190 + 447 + 234 + 758, "CLP")));
  EXPECT_EQ(jsonAt(body, "total_net"), canonical(money(1000 + 2350 + 1234 + 3990, "CLP")));
  EXPECT_EQ(jsonAt(body, "total_gross"), canonical(money(1190 + 2797 + 1468 + 4748, "CLP")));
}

TEST_F(RateTableTest, ChileanVatInsideGrossPrices) {
  const CallResult r = calculate(inclusive_, "CLP", kChile, {{"a", 11900, "standard"}, {"b", 1000, "standard"}});
  ASSERT_EQ(r.status, OSP_OK) << r.errorMessage;
  const Object::Ptr body = r.body();
  EXPECT_TRUE(at(body, "prices_include_tax").convert<bool>());
  EXPECT_EQ(intAt(body, "lines[0].tax_amount.value"), 1900);
  EXPECT_EQ(intAt(body, "lines[0].net_amount.value"), 10000);
  EXPECT_EQ(strAt(body, "lines[0].rounding.unrounded_tax"), "1900");
  EXPECT_EQ(intAt(body, "lines[1].tax_amount.value"), 160);  // 159.663865…
  EXPECT_EQ(intAt(body, "lines[1].net_amount.value"), 840);
  EXPECT_EQ(intAt(body, "lines[1].gross_amount.value"), 1000);
  EXPECT_EQ(strAt(body, "lines[1].rounding.unrounded_tax"), "159.663865");
  EXPECT_EQ(intAt(body, "total_tax.value"), 2060);
  EXPECT_EQ(intAt(body, "total_gross.value"), 12900);
  // The request can say the opposite of the instance's default.
  const Object::Ptr asNet =
      calculate(inclusive_, "CLP", kChile, {{"a", 10000, "standard"}}, R"(,"prices_include_tax":false)").body();
  EXPECT_EQ(intAt(asNet, "lines[0].tax_amount.value"), 1900);
  EXPECT_EQ(intAt(asNet, "lines[0].gross_amount.value"), 11900);
}

TEST_F(RateTableTest, DollarsRoundToTheCent) {
  const CallResult r = calculate(exclusive_, "USD", R"({"city":"New York","region":"NY","country":"US"})",
                                 {{"a", 1099, "standard"}, {"b", 2000, "standard"}, {"c", 1, "standard"}});
  ASSERT_EQ(r.status, OSP_OK) << r.errorMessage;
  const Object::Ptr body = r.body();
  EXPECT_EQ(intAt(body, "lines[0].tax_amount.value"), 98);  // $0.9753625
  EXPECT_EQ(strAt(body, "lines[0].rounding.unrounded_tax"), "97.53625");
  EXPECT_EQ(intAt(body, "lines[1].tax_amount.value"), 178);  // $1.775 rounds up
  EXPECT_EQ(intAt(body, "lines[2].tax_amount.value"), 0);
  EXPECT_EQ(intAt(body, "lines[0].rounding.decimals"), 2);
  EXPECT_EQ(strAt(body, "lines[0].rate_percent"), "8.875");
  EXPECT_EQ(strAt(body, "lines[0].jurisdiction.region"), "NY");
  EXPECT_EQ(jsonAt(body, "total_tax"), canonical(money(276, "USD")));
}

TEST_F(RateTableTest, RegionalRatesWinAndExemptIsZero) {
  Object::Ptr body = calculate(exclusive_, "MXN", R"({"region":"bcn","country":"MX"})",
                               {{"a", 10000, "standard"}, {"b", 10000, "exempt"}})
                         .body();
  EXPECT_EQ(intAt(body, "lines[0].tax_amount.value"), 800);
  EXPECT_EQ(strAt(body, "lines[0].jurisdiction.region"), "BCN");
  EXPECT_EQ(intAt(body, "lines[1].tax_amount.value"), 0);
  EXPECT_EQ(strAt(body, "lines[1].rate_percent"), "0");
  body = calculate(exclusive_, "MXN", R"({"region":"JAL","country":"MX"})", {{"a", 10000, "standard"}}).body();
  EXPECT_EQ(intAt(body, "lines[0].tax_amount.value"), 1600);
  body = calculate(exclusive_, "PEN", R"({"country":"PE"})", {{"a", 10000, "standard"}}).body();
  EXPECT_EQ(intAt(body, "lines[0].tax_amount.value"), 1800);
}

TEST_F(RateTableTest, MissingRateIsAConfigurationGap) {
  CallResult r = calculate(exclusive_, "ARS", R"({"country":"AR"})", {{"a", 1000, "standard"}});
  EXPECT_EQ(r.status, OSP_E_CONFIG);
  EXPECT_EQ(r.errorCode, "tax.no_rate");
  r = calculate(exclusive_, "CLP", kChile, {{"a", 1000, "reduced"}});
  EXPECT_EQ(r.status, OSP_E_CONFIG);
  EXPECT_NE(r.errorMessage.find("reduced"), std::string::npos);
}

TEST_F(RateTableTest, RejectsAmountsInAnotherCurrencyOrTooLarge) {
  CallResult r =
      call("tax.calculate", exclusive_,
           R"({"currency":"CLP","ship_to":{"country":"CL"},"lines":[{"id":"a","amount":)" + money(100, "USD") + "}]}");
  EXPECT_EQ(r.status, OSP_E_INVALID_ARGUMENT);
  EXPECT_NE(r.errorMessage.find("/lines/0/amount/currency"), std::string::npos) << r.errorMessage;
  r = calculate(exclusive_, "CLP", kChile, {{"a", 9000000000000000000, "standard"}});
  EXPECT_EQ(r.status, OSP_E_INVALID_ARGUMENT);
  r = calculate(exclusive_, "CLP", kChile, {{"a", 1, "standard"}, {"a", 2, "standard"}});
  EXPECT_EQ(r.status, OSP_E_INVALID_ARGUMENT);  // duplicate line id
  // A line-free request (only shipping) is fine.
  r = call(
      "tax.calculate", exclusive_,
      R"({"currency":"CLP","ship_to":{"country":"CL"},"lines":[],"shipping":{"amount":)" + money(1000, "CLP") + "}}");
  ASSERT_EQ(r.status, OSP_OK);
  EXPECT_EQ(intAt(r.body(), "total_tax.value"), 190);
}

TEST_F(RateTableTest, CommitAndVoidAcknowledgeTheTransaction) {
  CallResult r =
      call("tax.commit", exclusive_, R"({"transaction_reference":"ord_9","total_tax":)" + money(190, "CLP") + "}");
  ASSERT_EQ(r.status, OSP_OK) << r.errorMessage;
  EXPECT_EQ(strAt(r.body(), "status"), "succeeded");
  EXPECT_EQ(strAt(r.body(), "transaction_reference"), "ord_9");
  EXPECT_EQ(strAt(r.body(), "provider_data.state"), "committed");
  r = call("tax.void", exclusive_, R"({"transaction_reference":"ord_9","reason":"order cancelled"})");
  ASSERT_EQ(r.status, OSP_OK) << r.errorMessage;
  EXPECT_EQ(strAt(r.body(), "transaction_reference"), "ord_9");
  EXPECT_EQ(strAt(r.body(), "provider_data.state"), "voided");
  EXPECT_EQ(call("tax.commit", exclusive_, R"({"total_tax":)" + money(1, "CLP") + "}").status, OSP_E_INVALID_ARGUMENT);
}

TEST_F(RateTableTest, MalformedRequestsAreInvalidArgumentsNotCrashes) {
  for (const char* name : {"tax.calculate", "tax.commit", "tax.void"}) expectRejectsMalformed(name, exclusive_);
}

TEST_F(RateTableTest, BadRateTablesAreRejectedWithPaths) {
  EXPECT_EQ(
      problemPaths(R"({"prices_include_tax":"yes","shipping_tax_class":"Freight","rates":[
      {"country":"cl","tax_class":"Standard","rate_percent":"19%"},
      {"country":"PE","tax_class":"standard","rate_percent":"18"},
      {"country":"PE","tax_class":"standard","rate_percent":"18.0"},
      {"country":"MX","tax_class":"standard","rate_percent":19},
      {"country":"MX","tax_class":"standard","rate_percent":"016"}]})"),
      (std::set<std::string>{"/prices_include_tax", "/shipping_tax_class", "/rates/0/country", "/rates/0/tax_class",
                             "/rates/0/rate_percent", "/rates/2", "/rates/3/rate_percent", "/rates/4/rate_percent"}));
  EXPECT_EQ(problemPaths(R"({"rates":[]})"), (std::set<std::string>{"/prices_include_tax", "/rates"}));
}

}  // namespace
}  // namespace ordersvc::testing
