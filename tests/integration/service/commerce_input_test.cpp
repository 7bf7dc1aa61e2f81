// Bad input on the real server, on SQLite and PostgreSQL: every malformed request is
// refused with the right status and, for field errors, error.details.fields naming each
// field; and none of them changes the cart or the order it was aimed at.
#include <gtest/gtest.h>

#include "commerce_test_support.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;

constexpr std::size_t kMaxBodyBytes = 4096;

class CommerceInputTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    workDir_ = makeTempDir("ordersvc_commerce_input");
    std::string databaseUrl;
    auto env = demoServiceEnv(GetParam(), workDir_, databaseUrl);
    env["HTTP_MAX_BODY_BYTES"] = std::to_string(kMaxBodyBytes);
    service_ = startService(env, workDir_);
    port_ = service_->httpPort();
    order_ = placeOrder(port_, a1_, "v_mug", 1);  // pending: payments may still change it
    cart_ = createCart(port_, a1_).id;
    item_ = addItem(port_, a1_, cart_, "v_tee_m", 2)->getArray("items")->getObject(0)->getValue<std::string>("id");
    cartBefore_ = read("/api/v1/carts/" + cart_);
    orderBefore_ = read("/api/v1/orders/" + order_);
  }

  std::string read(const std::string& path) {
    auto r = send(port_, a1_, "GET", path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.body;
  }

  // Sends a request that must be refused with `status` (and `code`), then checks that the
  // cart and the order read exactly as before.
  HttpResult refused(const std::string& method, const std::string& path, const std::string& body, int status,
                     const std::string& code) {
    const auto r = send(port_, a1_, method, path, body);
    const std::string context = method + " " + path + " " + body.substr(0, 120);
    EXPECT_EQ(r.status, status) << context << ": " << r.body;
    EXPECT_EQ(errorCode(r), code) << context << ": " << r.body;
    EXPECT_EQ(read("/api/v1/carts/" + cart_), cartBefore_) << "the cart changed after " << context;
    EXPECT_EQ(read("/api/v1/orders/" + order_), orderBefore_) << "the order changed after " << context;
    return r;
  }

  // Like refused() with 400, and error.details.fields must name each of `fields`.
  void refusedFields(const std::string& method, const std::string& path, const std::string& body,
                     const std::vector<std::string>& fields) {
    const auto r = refused(method, path, body, 400, "INVALID_ARGUMENT");
    const auto named = errorFields(r);
    for (const auto& field : fields) {
      EXPECT_TRUE(named->has(field)) << method << " " << path << " " << body << ": no error for " << field << " in "
                                     << r.body;
    }
  }

  std::string cartPath() const { return "/api/v1/carts/" + cart_; }
  std::string itemsPath() const { return cartPath() + "/items"; }
  std::string itemPath() const { return itemsPath() + "/" + item_; }
  std::string orderPath() const { return "/api/v1/orders/" + order_; }

  const Caller a1_ = customer("a1");
  std::string workDir_;
  std::unique_ptr<ServiceProcess> service_;
  int port_ = 0;
  std::string order_, cart_, item_, cartBefore_, orderBefore_;
};

TEST_P(CommerceInputTest, MalformedJsonIsRefusedEverywhere) {
  const std::string broken = R"({"variant_id": "v_mug", "quantity": )";
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"POST", "/api/v1/carts"},
                                                        {"PATCH", cartPath()},
                                                        {"POST", itemsPath()},
                                                        {"PATCH", itemPath()},
                                                        {"POST", cartPath() + "/coupons"},
                                                        {"POST", "/api/v1/orders/from-cart"},
                                                        {"POST", orderPath() + "/payments"},
                                                        {"POST", orderPath() + "/cancel"},
                                                        {"POST", "/api/v1/addresses"}}) {
    refused(method, path, broken, 400, "INVALID_ARGUMENT");
    refused(method, path, "[1, 2, 3]", 400, "INVALID_ARGUMENT");  // JSON, but not an object
  }
}

TEST_P(CommerceInputTest, WrongFieldTypesAreNamedOneByOne) {
  refusedFields("POST", itemsPath(), R"({"variant_id": 42, "quantity": "3"})", {"variant_id", "quantity"});
  refusedFields("PATCH", itemPath(), R"({"quantity": 1.5})", {"quantity"});
  refusedFields("PATCH", cartPath(), R"({"shipping_method": 7, "email": false, "shipping_address": "Santiago"})",
                {"shipping_method", "email", "shipping_address"});
  refusedFields("PATCH", cartPath(), R"({"shipping_address": {"country": 56, "city": ["Santiago"]}})",
                {"shipping_address.country", "shipping_address.city"});
  refusedFields("POST", cartPath() + "/coupons", R"({"code": ["WELCOME10"]})", {"code"});
  refusedFields("POST", "/api/v1/orders/from-cart",
                R"({"cart_id": 12, "shipping_address": {"country": "CL"}, "order_type": 3})",
                {"cart_id", "shipping_address.name", "shipping_address.line1", "shipping_address.city", "order_type"});
  refusedFields("POST", orderPath() + "/payments", R"({"payment_method": 1, "currency": 152, "amount": 990})",
                {"payment_method", "currency"});
  refusedFields("POST", orderPath() + "/payments",
                R"({"payment_method": "cash", "currency": "CLP", "amount": {"v": 1}})", {"amount"});
  refusedFields("POST", orderPath() + "/cancel", R"({"reason": 5})", {"reason"});
  refusedFields("POST", "/api/v1/addresses", R"({"country": "Chile", "phone": 5})",
                {"address.country", "address.phone"});
}

TEST_P(CommerceInputTest, QuantitiesOutOfRangeAreRefused) {
  for (const std::string quantity : {"0", "-1", "-1000000000", "1000000000", "1e3", "true", "null"}) {
    refusedFields("POST", itemsPath(), R"({"variant_id": "v_mug", "quantity": )" + quantity + "}", {"quantity"});
    refusedFields("PATCH", itemPath(), R"({"quantity": )" + quantity + "}", {"quantity"});
  }
}

TEST_P(CommerceInputTest, WellFormedRequestsTheDomainRefusesAre422) {
  refused("POST", itemsPath(), R"({"variant_id": "v_does_not_exist", "quantity": 1})", 422, "UNPROCESSABLE");
  refused("POST", orderPath() + "/payments", R"({"payment_method": "cash", "currency": "USD", "amount": "10.00"})", 422,
          "UNPROCESSABLE");
  refused("POST", orderPath() + "/payments", R"({"payment_method": "bitcoin", "currency": "CLP", "amount": 990})", 422,
          "UNPROCESSABLE");
  refused("POST", cartPath() + "/coupons", R"({"code": "NOSUCHCODE"})", 422, "UNPROCESSABLE");
}

TEST_P(CommerceInputTest, AmountsFinerThanTheCurrencyAreRefused) {
  // CLP has no minor unit: 990.5 pesos cannot be paid.
  for (const std::string amount : {R"("990.5")", "990.5", R"("990.05")", R"("9,90")", R"("abc")"}) {
    refusedFields("POST", orderPath() + "/payments",
                  R"({"payment_method": "cash", "currency": "CLP", "amount": )" + amount + "}", {"amount"});
  }
}

TEST_P(CommerceInputTest, DeeplyNestedJsonIsRefused) {
  std::string deep = "1";
  for (int i = 0; i < 50; ++i) deep = R"({"a":)" + deep + "}";
  const std::string body = R"({"variant_id": "v_mug", "quantity": 1, "extra": )" + deep + "}";
  refused("POST", itemsPath(), body, 400, "INVALID_ARGUMENT");
  refused("PATCH", cartPath(), body, 400, "INVALID_ARGUMENT");
  refused("POST", "/api/v1/orders/from-cart", body, 400, "INVALID_ARGUMENT");
  refused("POST", orderPath() + "/payments", body, 400, "INVALID_ARGUMENT");
  std::string array = "[]";
  for (int i = 0; i < 50; ++i) array = "[" + array + "]";
  refused("POST", cartPath() + "/coupons", R"({"code": )" + array + "}", 400, "INVALID_ARGUMENT");
}

TEST_P(CommerceInputTest, BodiesOverTheLimitAre413) {
  const std::string padding(kMaxBodyBytes, 'x');
  const std::string body = R"({"variant_id": "v_mug", "quantity": 1, "note": ")" + padding + R"("})";
  ASSERT_GT(body.size(), kMaxBodyBytes);
  refused("POST", itemsPath(), body, 413, "PAYLOAD_TOO_LARGE");
  refused("PATCH", cartPath(), body, 413, "PAYLOAD_TOO_LARGE");
  refused("POST", orderPath() + "/payments", body, 413, "PAYLOAD_TOO_LARGE");
  // Just under the limit is read and judged on its content (an unknown field is ignored).
  const std::string fits =
      R"({"variant_id": "v_mug", "quantity": 1, "note": ")" + std::string(kMaxBodyBytes - 60, 'x') + R"("})";
  ASSERT_LE(fits.size(), kMaxBodyBytes);
  EXPECT_EQ(send(port_, a1_, "POST", itemsPath(), fits).status, 201);
}

INSTANTIATE_TEST_SUITE_P(Backends, CommerceInputTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ordersvc::testing
