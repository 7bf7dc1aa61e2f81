// The gRPC adapters of CatalogPort and InventoryPort (host/src/modules/catalog/grpc_*.h)
// against a real gRPC server with in-memory state (tests/support/fake_commerce_grpc_server.h)
// on a free loopback port: the port contracts, tenant isolation, and how outages and
// slow answers surface. The server's clock is fixed, so expiry needs no real time.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <Poco/File.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "fake_commerce_grpc_server.h"
#include "modules/catalog/grpc_catalog.h"
#include "modules/catalog/grpc_inventory.h"
#include "platform/storage/database.h"
#include "proto/catalog.grpc.pb.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using integrations::GrpcCatalog;
using integrations::GrpcInventory;
using services::StockLine;
using Fake = FakeCommerceGrpcServer;

constexpr int64_t kNowMs = 1'790'000'000'000;
// Generous: only the deadline test wants a call to run out of time.
constexpr std::chrono::milliseconds kCallTimeout{10000};
const std::string kLocalhost = "127.0.0.1";

Fake::Variant variant(std::string id, std::string sku, std::string name, bool active = true) {
  Fake::Variant v;
  v.variantId = std::move(id);
  v.sku = std::move(sku);
  v.name = std::move(name);
  v.prices = {{"CLP", 19990}, {"USD", 2499}};
  v.weightGrams = 200;
  v.lengthMm = 300;
  v.widthMm = 200;
  v.heightMm = 20;
  v.active = active;
  return v;
}

Fake::Product product(std::string id, std::string name, std::vector<Fake::Variant> variants, bool active = true,
                      std::string taxClass = "standard") {
  Fake::Product p;
  p.productId = std::move(id);
  p.name = std::move(name);
  p.description = p.name + " description";
  p.taxClass = std::move(taxClass);
  p.active = active;
  p.variants = std::move(variants);
  return p;
}

// Organization "org-a": a T-shirt (M sellable, L inactive), a book (reduced tax), an
// inactive gift card, a poster whose only variant is inactive, stickers. "org-b": a mug.
void seed(Fake& server) {
  server.addProduct("org-a",
                    product("prod-a1", "T-shirt",
                            {variant("var-shirt-m", "SHIRT-M", "M"), variant("var-shirt-l", "SHIRT-L", "L", false)}));
  server.addProduct("org-a", product("prod-a2", "Book", {variant("var-book", "BOOK-1", "")}, true, "reduced"));
  server.addProduct("org-a", product("prod-a3", "Gift card", {variant("var-gift", "GIFT-1", "50")}, false));
  server.addProduct("org-a", product("prod-a4", "Poster", {variant("var-poster", "POSTER-1", "A2", false)}));
  server.addProduct("org-a", product("prod-a5", "Sticker", {variant("var-sticker", "STICKER-1", "Round")}));
  server.addProduct("org-b", product("prod-b1", "Mug", {variant("var-mug", "MUG-1", "Blue")}));
  server.setStock("org-a", "var-shirt-m", 5);
  server.setStock("org-a", "var-book", 2);
  server.setStock("org-a", "var-sticker", 10);
  server.setStock("org-b", "var-mug", 3);
}

// A started fake, the two adapters pointed at it, and a throw-away SQLite connection
// for the InventoryPort's transaction argument (which the gRPC adapter ignores).
class GrpcAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.setNowForTest(kNowMs);
    seed(server_);
    server_.start(kLocalhost, 0);
    ASSERT_GT(server_.port(), 0);
    catalog_ = std::make_unique<GrpcCatalog>(kLocalhost, server_.port(), kCallTimeout);
    inventory_ = std::make_unique<GrpcInventory>(kLocalhost, server_.port(), kCallTimeout);

    dir_ = makeTempDir("ordersvc_grpc");
    auto url = storage::DatabaseUrl::parse("sqlite://" + dir_ + "/scratch.db", 5);
    ASSERT_TRUE(url) << url.error().toString();
    storage::DatabaseOptions options;
    options.poolSize = 1;
    options.maxOverflow = 0;
    database_ = std::make_unique<storage::Database>(*url, options);
    auto connection = database_->acquire();
    ASSERT_TRUE(connection) << connection.error().toString();
    connection_.emplace(std::move(connection).value());
  }

  void TearDown() override {
    connection_.reset();
    database_.reset();
    catalog_.reset();
    inventory_.reset();
    server_.stop();
    if (!dir_.empty()) Poco::File(dir_).remove(true);
  }

  storage::Connection& tx() { return *connection_; }

  Result<services::Reservation> reserve(const std::string& org, const std::string& reference,
                                        const std::vector<StockLine>& lines, int64_t ttlSeconds = 900) {
    return inventory_->reserve(tx(), org, reference, lines, ttlSeconds, kNowMs);
  }

  int64_t available(const std::string& org, const std::string& variantId) {
    auto result = inventory_->checkAvailability(org, {{variantId, "", 1}});
    EXPECT_TRUE(result) << result.error().toString();
    return result ? result->at(0).available : -1;
  }

  Fake server_;
  std::unique_ptr<GrpcCatalog> catalog_;
  std::unique_ptr<GrpcInventory> inventory_;
  std::string dir_;
  std::unique_ptr<storage::Database> database_;
  std::optional<storage::Connection> connection_;
};

using GrpcCatalogTest = GrpcAdapterTest;
using GrpcInventoryTest = GrpcAdapterTest;
using GrpcOutageTest = GrpcAdapterTest;

// ---- CatalogPort ----

TEST_F(GrpcCatalogTest, VariantFoundWithPricesWeightAndTaxClass) {
  auto found = catalog_->variant("org-a", "var-shirt-m");
  ASSERT_TRUE(found) << found.error().toString();
  EXPECT_EQ(found->variantId, "var-shirt-m");
  EXPECT_EQ(found->productId, "prod-a1");
  EXPECT_EQ(found->sku, "SHIRT-M");
  EXPECT_EQ(found->name, "T-shirt - M");
  EXPECT_EQ(found->taxClass, "standard");
  EXPECT_EQ(found->prices, (std::map<std::string, int64_t>{{"CLP", 19990}, {"USD", 2499}}));
  EXPECT_EQ(found->weightGrams, 200);
  EXPECT_EQ(found->lengthMm, 300);
  EXPECT_EQ(found->widthMm, 200);
  EXPECT_EQ(found->heightMm, 20);
  EXPECT_TRUE(found->active);

  auto book = catalog_->variant("org-a", "var-book");
  ASSERT_TRUE(book) << book.error().toString();
  EXPECT_EQ(book->name, "Book");  // a variant without a name of its own
  EXPECT_EQ(book->taxClass, "reduced");
}

TEST_F(GrpcCatalogTest, InactiveVariantOrProductIsAnsweredInactive) {
  auto inactiveVariant = catalog_->variant("org-a", "var-shirt-l");
  ASSERT_TRUE(inactiveVariant) << inactiveVariant.error().toString();
  EXPECT_FALSE(inactiveVariant->active);
  auto ofInactiveProduct = catalog_->variant("org-a", "var-gift");
  ASSERT_TRUE(ofInactiveProduct) << ofInactiveProduct.error().toString();
  EXPECT_FALSE(ofInactiveProduct->active);
}

TEST_F(GrpcCatalogTest, UnknownVariantIsNotFound) {
  auto missing = catalog_->variant("org-a", "var-nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
  EXPECT_NE(missing.error().message.find("var-nope"), std::string::npos) << missing.error().message;
}

TEST_F(GrpcCatalogTest, VariantOfAnotherOrganizationIsNotFound) {
  auto fromB = catalog_->variant("org-b", "var-shirt-m");
  ASSERT_FALSE(fromB);
  EXPECT_EQ(fromB.error().code, ErrorCode::NotFound);
  auto fromA = catalog_->variant("org-a", "var-mug");
  ASSERT_FALSE(fromA);
  EXPECT_EQ(fromA.error().code, ErrorCode::NotFound);
  EXPECT_TRUE(catalog_->variant("org-b", "var-mug"));
}

TEST_F(GrpcCatalogTest, ListProductsPagesSellableProductsInIdOrder) {
  auto first = catalog_->listProducts("org-a", "", 2);
  ASSERT_TRUE(first) << first.error().toString();
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ(first->at(0).productId, "prod-a1");
  EXPECT_EQ(first->at(0).name, "T-shirt");
  EXPECT_EQ(first->at(0).description, "T-shirt description");
  EXPECT_EQ(first->at(0).taxClass, "standard");
  ASSERT_EQ(first->at(0).variants.size(), 1u);  // the inactive L is left out
  EXPECT_EQ(first->at(0).variants[0].variantId, "var-shirt-m");
  EXPECT_EQ(first->at(0).variants[0].name, "T-shirt - M");
  EXPECT_EQ(first->at(0).variants[0].prices.at("CLP"), 19990);
  EXPECT_EQ(first->at(1).productId, "prod-a2");

  // The inactive gift card and the poster without an active variant are not sellable.
  auto second = catalog_->listProducts("org-a", first->back().productId, 2);
  ASSERT_TRUE(second) << second.error().toString();
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ(second->at(0).productId, "prod-a5");

  auto end = catalog_->listProducts("org-a", "prod-a5", 2);
  ASSERT_TRUE(end) << end.error().toString();
  EXPECT_TRUE(end->empty());

  auto otherTenant = catalog_->listProducts("org-b", "", 10);
  ASSERT_TRUE(otherTenant) << otherTenant.error().toString();
  ASSERT_EQ(otherTenant->size(), 1u);
  EXPECT_EQ(otherTenant->at(0).productId, "prod-b1");
}

TEST_F(GrpcCatalogTest, ListProductsRejectsLimitBelowOne) {
  auto rejected = catalog_->listProducts("org-a", "", 0);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::InvalidArgument);
}

TEST_F(GrpcCatalogTest, FakeServesProductDetailsWithEveryVariant) {
  // GetProductDetails has no port method yet; checked on the wire so the fake keeps
  // implementing the whole contract.
  auto stub = catalog::v1::CatalogService::NewStub(
      grpc::CreateChannel(kLocalhost + ":" + std::to_string(server_.port()), grpc::InsecureChannelCredentials()));
  catalog::v1::GetProductDetailsRequest request;
  request.set_organization_id("org-a");
  request.set_product_id("prod-a1");
  catalog::v1::GetProductDetailsResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  ASSERT_TRUE(stub->GetProductDetails(&context, request, &response).ok());
  ASSERT_EQ(response.product().variants_size(), 2);
  EXPECT_EQ(response.product().variants(0).variant_id(), "var-shirt-l");
  EXPECT_FALSE(response.product().variants(0).active());

  request.set_organization_id("org-b");
  catalog::v1::GetProductDetailsResponse none;
  grpc::ClientContext otherContext;
  otherContext.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  EXPECT_EQ(stub->GetProductDetails(&otherContext, request, &none).error_code(), grpc::StatusCode::NOT_FOUND);
}

// ---- InventoryPort ----

TEST_F(GrpcInventoryTest, IsNotTransactional) {
  EXPECT_FALSE(inventory_->transactional());
}

TEST_F(GrpcInventoryTest, AvailabilitySumsLinesPerVariant) {
  auto result = inventory_->checkAvailability("org-a", {{"var-shirt-m", "SHIRT-M", 2},
                                                        {"var-book", "BOOK-1", 1},
                                                        {"var-shirt-m", "SHIRT-M", 2},
                                                        {"var-unknown", "NOPE", 1}});
  ASSERT_TRUE(result) << result.error().toString();
  ASSERT_EQ(result->size(), 3u);
  EXPECT_EQ(result->at(0).variantId, "var-shirt-m");
  EXPECT_EQ(result->at(0).requested, 4);
  EXPECT_EQ(result->at(0).available, 5);
  EXPECT_TRUE(result->at(0).sufficient());
  EXPECT_EQ(result->at(1).variantId, "var-book");
  EXPECT_EQ(result->at(1).requested, 1);
  EXPECT_EQ(result->at(1).available, 2);
  EXPECT_EQ(result->at(2).variantId, "var-unknown");
  EXPECT_EQ(result->at(2).available, 0);
  EXPECT_FALSE(result->at(2).sufficient());
}

TEST_F(GrpcInventoryTest, OrganizationsHaveSeparateStock) {
  EXPECT_EQ(available("org-a", "var-mug"), 0);
  EXPECT_EQ(available("org-b", "var-mug"), 3);
  EXPECT_EQ(available("org-b", "var-shirt-m"), 0);
}

TEST_F(GrpcInventoryTest, ReserveIsAllOrNothing) {
  auto refused = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 2}, {"var-book", "BOOK-1", 3}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Unprocessable);
  EXPECT_NE(refused.error().message.find("BOOK-1"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find("SHIRT-M"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().detailsJson.find("\"sku\":\"BOOK-1\""), std::string::npos) << refused.error().detailsJson;

  // Nothing was held, not even the line that had enough stock.
  EXPECT_EQ(server_.stockForTest("org-a", "var-shirt-m").reserved, 0);
  EXPECT_EQ(server_.stockForTest("org-a", "var-book").reserved, 0);
  EXPECT_EQ(available("org-a", "var-shirt-m"), 5);
}

TEST_F(GrpcInventoryTest, ReserveSumsLinesOfOneVariant) {
  // 3 + 3 of a variant with 5 on hand must not pass line by line (Medusa #16502).
  auto refused = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 3}, {"var-shirt-m", "SHIRT-M", 3}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Unprocessable);
  EXPECT_NE(refused.error().message.find("SHIRT-M (requested 6, available 5)"), std::string::npos)
      << refused.error().message;
}

TEST_F(GrpcInventoryTest, ShortageWithoutTrailerNamesEveryRequestedSku) {
  server_.setShortageTrailerForTest(false);
  auto refused = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 2}, {"var-book", "BOOK-1", 3}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Unprocessable);
  EXPECT_NE(refused.error().message.find("SHIRT-M, BOOK-1"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().detailsJson.find("\"sku\":\"BOOK-1\",\"requested\":3}"), std::string::npos)
      << refused.error().detailsJson;
}

TEST_F(GrpcInventoryTest, ReserveHoldsStockUntilItsTtlPasses) {
  auto reservation = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 2}}, 900);
  ASSERT_TRUE(reservation) << reservation.error().toString();
  EXPECT_FALSE(reservation->reservationId.empty());
  EXPECT_EQ(reservation->expiresAtMs, kNowMs + 900'000);
  EXPECT_EQ(available("org-a", "var-shirt-m"), 3);

  server_.advanceClockForTest(std::chrono::seconds(900));
  EXPECT_EQ(available("org-a", "var-shirt-m"), 5);
  auto late = inventory_->confirm(tx(), "org-a", reservation->reservationId, kNowMs);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::Conflict);
  EXPECT_TRUE(inventory_->release(tx(), "org-a", reservation->reservationId, kNowMs));
}

TEST_F(GrpcInventoryTest, ReserveIsIdempotentPerReference) {
  auto first = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 2}});
  ASSERT_TRUE(first) << first.error().toString();
  auto retry = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 1}, {"var-shirt-m", "SHIRT-M", 1}});
  ASSERT_TRUE(retry) << retry.error().toString();
  EXPECT_EQ(retry->reservationId, first->reservationId);
  EXPECT_EQ(server_.stockForTest("org-a", "var-shirt-m").reserved, 2);

  auto otherLines = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 3}});
  ASSERT_FALSE(otherLines);
  EXPECT_EQ(otherLines.error().code, ErrorCode::Conflict);
}

TEST_F(GrpcInventoryTest, ReleaseGivesStockBackAndIsIdempotent) {
  auto reservation = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 2}, {"var-book", "BOOK-1", 2}});
  ASSERT_TRUE(reservation) << reservation.error().toString();
  EXPECT_EQ(available("org-a", "var-book"), 0);

  auto released = inventory_->release(tx(), "org-a", reservation->reservationId, kNowMs);
  ASSERT_TRUE(released) << released.error().toString();
  EXPECT_EQ(available("org-a", "var-shirt-m"), 5);
  EXPECT_EQ(available("org-a", "var-book"), 2);

  auto again = inventory_->release(tx(), "org-a", reservation->reservationId, kNowMs);
  ASSERT_TRUE(again) << again.error().toString();
  EXPECT_EQ(server_.stockForTest("org-a", "var-book").reserved, 0);
  EXPECT_EQ(server_.stockForTest("org-a", "var-book").onHand, 2);
}

TEST_F(GrpcInventoryTest, ConfirmTakesStockFromOnHandAndIsIdempotent) {
  auto reservation = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 2}});
  ASSERT_TRUE(reservation) << reservation.error().toString();

  auto confirmed = inventory_->confirm(tx(), "org-a", reservation->reservationId, kNowMs);
  ASSERT_TRUE(confirmed) << confirmed.error().toString();
  EXPECT_EQ(server_.stockForTest("org-a", "var-shirt-m").onHand, 3);
  EXPECT_EQ(server_.stockForTest("org-a", "var-shirt-m").reserved, 0);

  auto again = inventory_->confirm(tx(), "org-a", reservation->reservationId, kNowMs);
  ASSERT_TRUE(again) << again.error().toString();
  EXPECT_EQ(server_.stockForTest("org-a", "var-shirt-m").onHand, 3);
  EXPECT_EQ(available("org-a", "var-shirt-m"), 3);
}

TEST_F(GrpcInventoryTest, ReleaseAfterConfirmIsConflict) {
  auto reservation = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 2}});
  ASSERT_TRUE(reservation) << reservation.error().toString();
  ASSERT_TRUE(inventory_->confirm(tx(), "org-a", reservation->reservationId, kNowMs));

  auto released = inventory_->release(tx(), "org-a", reservation->reservationId, kNowMs);
  ASSERT_FALSE(released);
  EXPECT_EQ(released.error().code, ErrorCode::Conflict);
  EXPECT_EQ(server_.stockForTest("org-a", "var-shirt-m").onHand, 3);
}

TEST_F(GrpcInventoryTest, UnknownReservationIsNotFound) {
  auto release = inventory_->release(tx(), "org-a", "rsv-404", kNowMs);
  ASSERT_FALSE(release);
  EXPECT_EQ(release.error().code, ErrorCode::NotFound);
  auto confirm = inventory_->confirm(tx(), "org-a", "rsv-404", kNowMs);
  ASSERT_FALSE(confirm);
  EXPECT_EQ(confirm.error().code, ErrorCode::NotFound);

  // Another organization's reservation is unknown too, and stays untouched.
  auto reservation = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 2}});
  ASSERT_TRUE(reservation) << reservation.error().toString();
  auto foreign = inventory_->release(tx(), "org-b", reservation->reservationId, kNowMs);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::NotFound);
  EXPECT_EQ(server_.stockForTest("org-a", "var-shirt-m").reserved, 2);
}

TEST_F(GrpcInventoryTest, InvalidLinesAreRejectedBeforeAnyCall) {
  const int callsBefore = server_.callsForTest();
  auto zero = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 0}});
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, ErrorCode::InvalidArgument);
  auto empty = reserve("org-a", "order-1", {});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(server_.callsForTest(), callsBefore);
}

// ---- Outages and deadlines ----

TEST_F(GrpcOutageTest, StoppedServerIsUnavailable) {
  ASSERT_TRUE(catalog_->variant("org-a", "var-shirt-m"));
  ASSERT_EQ(available("org-a", "var-shirt-m"), 5);
  const std::string target = kLocalhost + ":" + std::to_string(server_.port());
  server_.stop();

  // Fails fast: waiting for the server would run into the 10 s deadline and report
  // DeadlineExceeded instead.
  auto variant = catalog_->variant("org-a", "var-shirt-m");
  ASSERT_FALSE(variant);
  EXPECT_EQ(variant.error().code, ErrorCode::Unavailable);
  EXPECT_NE(variant.error().message.find("catalog service at " + target + " unavailable"), std::string::npos)
      << variant.error().message;

  auto reservation = reserve("org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 1}});
  ASSERT_FALSE(reservation);
  EXPECT_EQ(reservation.error().code, ErrorCode::Unavailable);
  EXPECT_NE(reservation.error().message.find("inventory service at " + target + " unavailable"), std::string::npos)
      << reservation.error().message;
  auto release = inventory_->release(tx(), "org-a", "rsv-1", kNowMs);
  ASSERT_FALSE(release);
  EXPECT_EQ(release.error().code, ErrorCode::Unavailable);
}

TEST_F(GrpcOutageTest, NothingListeningIsUnavailable) {
  const int port = server_.port();
  server_.stop();
  GrpcCatalog catalog(kLocalhost, port, kCallTimeout);
  GrpcInventory inventory(kLocalhost, port, kCallTimeout);

  auto listed = catalog.listProducts("org-a", "", 10);
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code, ErrorCode::Unavailable);
  auto checked = inventory.checkAvailability("org-a", {{"var-shirt-m", "SHIRT-M", 1}});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::Unavailable);
}

TEST_F(GrpcOutageTest, ServerThatComesBackIsUsedAgain) {
  ASSERT_TRUE(catalog_->variant("org-a", "var-shirt-m"));
  const int port = server_.port();
  server_.stop();
  auto down = catalog_->variant("org-a", "var-shirt-m");
  ASSERT_FALSE(down);
  ASSERT_EQ(down.error().code, ErrorCode::Unavailable);

  server_.start(kLocalhost, port);
  // The channel reconnects after its back-off (at most 5 s); calls fail fast meanwhile.
  // The bound only keeps a broken build from hanging; no duration is asserted.
  const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  Result<services::VariantDetails> back = Error::unavailable("not tried");
  while (!(back = catalog_->variant("org-a", "var-shirt-m")) && back.error().code == ErrorCode::Unavailable &&
         std::chrono::steady_clock::now() < giveUp) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(back) << back.error().toString();
  EXPECT_EQ(back->sku, "SHIRT-M");  // the seeded state survived the restart
}

TEST_F(GrpcOutageTest, SlowServerBeyondTheDeadlineIsDeadlineExceeded) {
  GrpcCatalog catalog(kLocalhost, server_.port(), std::chrono::milliseconds(2000));
  GrpcInventory inventory(kLocalhost, server_.port(), std::chrono::milliseconds(2000));
  // Connected first, so the deadline runs out on a slow answer, not on connecting.
  ASSERT_TRUE(catalog.variant("org-a", "var-shirt-m"));
  ASSERT_TRUE(inventory.checkAvailability("org-a", {{"var-shirt-m", "SHIRT-M", 1}}));

  server_.setLatencyForTest(std::chrono::minutes(5));
  auto variant = catalog.variant("org-a", "var-shirt-m");
  ASSERT_FALSE(variant);
  EXPECT_EQ(variant.error().code, ErrorCode::DeadlineExceeded) << variant.error().toString();
  auto reservation = inventory.reserve(tx(), "org-a", "order-1", {{"var-shirt-m", "SHIRT-M", 1}}, 900, kNowMs);
  ASSERT_FALSE(reservation);
  EXPECT_EQ(reservation.error().code, ErrorCode::DeadlineExceeded) << reservation.error().toString();
  server_.setLatencyForTest(std::chrono::milliseconds(0));
  EXPECT_EQ(server_.stockForTest("org-a", "var-shirt-m").reserved, 0);  // abandoned before it was handled
}

// ---- The fake as a process (for end-to-end runs) ----

// Kills the process if the test ends before it stopped it.
struct ProcessGuard {
  explicit ProcessGuard(Poco::ProcessHandle handle) : handle(std::move(handle)) {}
  ~ProcessGuard() {
    if (running) Poco::Process::kill(handle);
  }
  Poco::ProcessHandle handle;
  bool running = true;
};

TEST(GrpcFakeProcessTest, ServesTheSeedFileAndPrintsItsPort) {
  Poco::Pipe out;
  ProcessGuard process(Poco::Process::launch(
      ORDERSVC_FAKE_COMMERCE_BINARY, {"--port", "0", "--seed", ORDERSVC_FAKE_COMMERCE_SEED}, nullptr, &out, nullptr));
  Poco::PipeInputStream stdoutStream(out);
  std::string firstLine;
  ASSERT_TRUE(std::getline(stdoutStream, firstLine)) << "the fake exited before printing its port";
  const int port = std::stoi(firstLine);
  ASSERT_GT(port, 0);

  GrpcCatalog catalog(kLocalhost, port, kCallTimeout);
  auto mug = catalog.variant("org-demo", "var-mug-blue");
  ASSERT_TRUE(mug) << mug.error().toString();
  EXPECT_EQ(mug->name, "Enamel mug - Blue");
  EXPECT_EQ(mug->prices.at("CLP"), 8990);
  auto listed = catalog.listProducts("org-demo", "", 10);
  ASSERT_TRUE(listed) << listed.error().toString();
  EXPECT_EQ(listed->size(), 2u);  // the retired lantern is not sellable

  GrpcInventory inventory(kLocalhost, port, kCallTimeout);
  auto stock = inventory.checkAvailability("org-demo", {{"var-mug-blue", "", 1}, {"var-mug-red", "", 1}});
  ASSERT_TRUE(stock) << stock.error().toString();
  EXPECT_EQ(stock->at(0).available, 25);
  EXPECT_EQ(stock->at(1).available, 0);

  Poco::Process::requestTermination(process.handle.id());
  EXPECT_EQ(process.handle.wait(), 0);
  process.running = false;
}

}  // namespace
}  // namespace ordersvc::testing
