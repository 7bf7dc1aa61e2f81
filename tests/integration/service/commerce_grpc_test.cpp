// The catalog and the inventory over gRPC, end to end: ordersvc with CATALOG_GRPC_HOST and
// INVENTORY_GRPC_HOST pointing at ordersvc_fake_commerce_grpc (a separate process seeded
// for the demo organization) sells from the remote catalog, reserves, confirms and
// releases stock there, and answers 503 with a clear message once the remote is gone.
// About gRPC, not storage: SQLite only.
#include <fstream>
#include <string>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>

#include "commerce_test_support.h"
#include "modules/catalog/grpc_inventory.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using namespace commerce;

// The demo's ids, served by the fake: 5 tees, 2 mugs. v_coffee exists only in the local
// tables config/bootstrap.json seeds, so seeing it would mean the local catalog answered.
constexpr const char* kSeed = R"({"organizations": [{"id": "demo", "products": [
  {"id": "p_tee", "name": "Polera remota", "taxClass": "standard", "variants": [
    {"id": "v_tee_m", "sku": "TEE-M", "name": "M", "prices": {"CLP": 9990}, "weightGrams": 200, "stock": 5}]},
  {"id": "p_mug", "name": "Tazon remoto", "taxClass": "standard", "variants": [
    {"id": "v_mug", "sku": "MUG-1", "prices": {"CLP": 6990}, "weightGrams": 450, "stock": 2}]}]}]})";

// ordersvc_fake_commerce_grpc as a child process; killed by the destructor if still running.
class FakeCommerceProcess {
 public:
  explicit FakeCommerceProcess(const std::string& seedFile)
      : handle_(Poco::Process::launch(ORDERSVC_FAKE_COMMERCE_BINARY, {"--port", "0", "--seed", seedFile}, nullptr,
                                      &out_, nullptr)) {
    Poco::PipeInputStream stdoutStream(out_);
    std::string firstLine;
    if (!std::getline(stdoutStream, firstLine)) throw std::runtime_error("the fake exited before printing its port");
    port_ = std::stoi(firstLine);
  }
  ~FakeCommerceProcess() { kill(); }
  FakeCommerceProcess(const FakeCommerceProcess&) = delete;
  FakeCommerceProcess& operator=(const FakeCommerceProcess&) = delete;

  int port() const { return port_; }
  // SIGKILL, the way a crashed service disappears; waits for the exit.
  void kill() {
    if (!running_) return;
    running_ = false;
    Poco::Process::kill(handle_);
    handle_.wait();
  }

 private:
  Poco::Pipe out_;
  Poco::ProcessHandle handle_;
  int port_ = 0;
  bool running_ = true;
};

TEST(CommerceGrpcTest, CheckoutReservesOnTheRemoteInventoryAndAGoneCatalogIs503) {
  const std::string workDir = makeTempDir("ordersvc_commerce_grpc");
  const std::string seedFile = workDir + "/seed.json";
  std::ofstream(seedFile) << kSeed;
  FakeCommerceProcess fake(seedFile);

  std::string databaseUrl;
  auto env = demoServiceEnv("sqlite", workDir, databaseUrl);
  env["CATALOG_GRPC_HOST"] = "127.0.0.1";
  env["CATALOG_GRPC_PORT"] = std::to_string(fake.port());
  env["INVENTORY_GRPC_HOST"] = "127.0.0.1";
  env["INVENTORY_GRPC_PORT"] = std::to_string(fake.port());
  auto service = startService(env, workDir);
  const int port = service->httpPort();

  // The fake's own gRPC API tells how much can still be sold.
  integrations::GrpcInventory inventory("127.0.0.1", fake.port(), std::chrono::seconds(5));
  auto available = [&]() -> int64_t {
    auto stock = inventory.checkAvailability(kDemoOrg, {{"v_tee_m", "TEE-M", 1}});
    if (!stock) throw std::runtime_error(stock.error().toString());
    return stock->at(0).available;
  };
  ASSERT_EQ(available(), 5);

  const Caller a1 = customer("a1");
  const auto products = send(port, a1, "GET", "/api/v1/products");
  ASSERT_EQ(products.status, 200) << products.body;
  EXPECT_NE(products.body.find("Polera remota"), std::string::npos) << products.body;
  EXPECT_EQ(products.body.find("v_coffee"), std::string::npos) << "the local catalog answered: " << products.body;

  // Checkout reserves 3 remotely; the cash payment confirms the sale.
  const std::string order = placeOrder(port, a1, "v_tee_m", 3);
  EXPECT_EQ(available(), 2);
  EXPECT_EQ(payCash(port, a1, order)->getValue<std::string>("status"), "confirmed");
  EXPECT_EQ(available(), 2);

  // Another customer cannot have 3 more: the remote refuses, nothing is held.
  const Caller a2 = customer("a2");
  const CartRef cart = createCart(port, a2);
  const auto line =
      addItem(port, a2, cart.id, "v_tee_m", 3)->getArray("items")->getObject(0)->getValue<std::string>("id");
  const auto refused =
      send(port, a2, "POST", "/api/v1/orders/from-cart",
           R"({"cart_id":")" + cart.id + R"(","shipping_method":"standard","shipping_address":)" + kSantiago + "}");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("TEE-M"), std::string::npos) << refused.body;
  EXPECT_EQ(available(), 2);
  // Two fit; cancelling that order gives them back.
  ASSERT_EQ(send(port, a2, "PATCH", "/api/v1/carts/" + cart.id + "/items/" + line, R"({"quantity":2})").status, 200);
  const std::string second = checkout(port, a2, cart.id)->getValue<std::string>("order_id");
  EXPECT_EQ(available(), 0);
  const auto cancelled = send(port, a2, "POST", "/api/v1/orders/" + second + "/cancel", "{}");
  EXPECT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(available(), 2);

  // The remote goes away: the catalog cannot be asked, and the API says so.
  fake.kill();
  const CartRef next = createCart(port, a1);
  const auto gone =
      send(port, a1, "POST", "/api/v1/carts/" + next.id + "/items", R"({"variant_id":"v_mug","quantity":1})");
  EXPECT_EQ(gone.status, 503) << gone.body;
  EXPECT_EQ(errorCode(gone), "SERVICE_UNAVAILABLE") << gone.body;
  EXPECT_NE(gone.body.find("catalog service at 127.0.0.1:" + std::to_string(fake.port()) + " unavailable"),
            std::string::npos)
      << gone.body;
  const auto listing = send(port, a1, "GET", "/api/v1/products");
  EXPECT_EQ(listing.status, 503) << listing.body;
  // The cart itself is untouched and still readable from the database.
  const auto stillThere = send(port, a1, "GET", "/api/v1/carts/" + next.id);
  EXPECT_EQ(stillThere.status, 200) << stillThere.body;
}

}  // namespace
}  // namespace ordersvc::testing
