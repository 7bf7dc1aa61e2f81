#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ordersvc::testing {

// A real gRPC server implementing both ordersvc.catalog.v1.CatalogService and
// ordersvc.inventory.v1.InventoryService (host/proto/) over in-memory state, for tests
// of the gRPC adapters (in process) and for end-to-end runs (ordersvc_fake_commerce_grpc).
// It follows the contracts in the .proto files, including the InsufficientStock trailer,
// reservation expiry and ReserveStock's idempotency per reference.
//
// State is per organization: products with variants and prices, on-hand stock per
// variant (one warehouse), reservations. Reservation ids are "rsv-1", "rsv-2", ... in
// creation order. Expiry is checked on every inventory call against the server's clock:
// the system clock, or a fixed time set with setNowForTest (then nothing depends on the
// real time).
//
// Threading: every method may be called from any thread, also while RPCs run; one
// mutex guards the state. start() and stop() must not race each other.
class FakeCommerceGrpcServer {
 public:
  struct Variant {
    std::string variantId;
    std::string sku;
    std::string name;                       // the variant's own name ("Red / M")
    std::map<std::string, int64_t> prices;  // ISO currency -> minor units
    int weightGrams = 0;
    int lengthMm = 0;
    int widthMm = 0;
    int heightMm = 0;
    bool active = true;
  };

  struct Product {
    std::string productId;
    std::string name;
    std::string description;
    std::string taxClass = "standard";
    bool active = true;
    std::vector<Variant> variants;
  };

  struct StockLevel {
    int64_t onHand = 0;
    int64_t reserved = 0;  // held by active reservations
  };

  FakeCommerceGrpcServer();
  ~FakeCommerceGrpcServer();  // stops the server
  FakeCommerceGrpcServer(const FakeCommerceGrpcServer&) = delete;
  FakeCommerceGrpcServer& operator=(const FakeCommerceGrpcServer&) = delete;

  // Listens on host:port (0 picks a free port) and serves until stop(). Throws
  // std::runtime_error when it cannot listen. Seeded state survives stop() and a later
  // start().
  void start(const std::string& host = "127.0.0.1", int port = 0);
  // The bound port after start(); 0 before.
  int port() const;
  // Ends every call in progress (delayed ones at once) and stops listening. Idempotent.
  void stop();

  // Adds or replaces a product (and its variants) of `organizationId`.
  void addProduct(const std::string& organizationId, Product product);
  // Sets the on-hand stock of a variant; a variant the catalog does not know is allowed.
  void setStock(const std::string& organizationId, const std::string& variantId, int64_t onHand);
  // Seeds from JSON text (the format of tests/support/fake_commerce_seed.json):
  //   {"organizations": [{"id": "org", "products": [{"id", "name", "description",
  //     "taxClass", "active", "variants": [{"id", "sku", "name", "prices": {"CLP": 19990},
  //     "weightGrams", "lengthMm", "widthMm", "heightMm", "active", "stock"}]}]}]}
  // Only ids are required. Throws std::runtime_error on malformed input.
  void loadSeedJson(const std::string& jsonText);
  void loadSeedFile(const std::string& path);

  // Every RPC waits this long before it is handled (0: none); a call whose deadline
  // passes meanwhile is abandoned, so tests of client deadlines end promptly.
  void setLatencyForTest(std::chrono::milliseconds latency);
  // Whether a refused ReserveStock carries the InsufficientStock trailer (default true);
  // false acts like a remote that names the short SKUs only in its status message.
  void setShortageTrailerForTest(bool send);
  // Fixes the server's clock at `unixMs`; advanceClockForTest moves the fixed clock.
  void setNowForTest(int64_t unixMs);
  void advanceClockForTest(std::chrono::milliseconds by);

  // The stock of a variant after expiring what is due; zeros for an unknown one.
  StockLevel stockForTest(const std::string& organizationId, const std::string& variantId);
  // Number of RPCs handled so far (also those that failed).
  int callsForTest() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ordersvc::testing
