#include "fake_commerce_grpc_server.h"

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/server_context.h>

#include "proto/catalog.grpc.pb.h"
#include "proto/inventory.grpc.pb.h"

namespace ordersvc::testing {

namespace cat = ordersvc::catalog::v1;
namespace inv = ordersvc::inventory::v1;

namespace {

constexpr int kMaxPageSize = 1000;
constexpr const char* kInsufficientStockTrailer = "ordersvc-insufficient-stock-bin";

struct Line {
  std::string variantId;
  std::string sku;
  int64_t quantity = 0;
};

struct StoredReservation {
  std::string id;
  std::string reference;
  inv::ReservationState state = inv::RESERVATION_STATE_ACTIVE;
  int64_t expiresAtMs = 0;
  std::vector<Line> lines;  // one per variant
};

struct Organization {
  std::map<std::string, FakeCommerceGrpcServer::Product> products;  // by id: ListProducts' order
  std::map<std::string, std::string> productOfVariant;
  std::map<std::string, FakeCommerceGrpcServer::StockLevel> stock;
  std::map<std::string, StoredReservation> reservations;
};

grpc::Status invalid(const std::string& message) {
  return {grpc::StatusCode::INVALID_ARGUMENT, message};
}
grpc::Status notFound(const std::string& message) {
  return {grpc::StatusCode::NOT_FOUND, message};
}
grpc::Status failedPrecondition(const std::string& message) {
  return {grpc::StatusCode::FAILED_PRECONDITION, message};
}

bool sellable(const FakeCommerceGrpcServer::Product& product) {
  return product.active && std::any_of(product.variants.begin(), product.variants.end(),
                                       [](const auto& variant) { return variant.active; });
}

void fillVariant(cat::Variant* out, const FakeCommerceGrpcServer::Product& product,
                 const FakeCommerceGrpcServer::Variant& variant) {
  out->set_variant_id(variant.variantId);
  out->set_product_id(product.productId);
  out->set_sku(variant.sku);
  out->set_name(variant.name);
  out->set_tax_class(product.taxClass);
  for (const auto& [currency, amount] : variant.prices) {
    auto* price = out->add_prices();
    price->set_currency(currency);
    price->set_amount_minor(amount);
  }
  out->set_weight_grams(variant.weightGrams);
  out->mutable_dimensions()->set_length_mm(variant.lengthMm);
  out->mutable_dimensions()->set_width_mm(variant.widthMm);
  out->mutable_dimensions()->set_height_mm(variant.heightMm);
  out->set_active(variant.active);
}

void fillProduct(cat::Product* out, const FakeCommerceGrpcServer::Product& product, bool activeVariantsOnly) {
  out->set_product_id(product.productId);
  out->set_name(product.name);
  out->set_description(product.description);
  out->set_tax_class(product.taxClass);
  out->set_active(product.active);
  for (const auto& variant : product.variants) {
    if (activeVariantsOnly && !variant.active) continue;
    fillVariant(out->add_variants(), product, variant);
  }
}

void fillReservation(inv::Reservation* out, const StoredReservation& reservation) {
  out->set_reservation_id(reservation.id);
  out->set_reference(reservation.reference);
  out->set_state(reservation.state);
  out->set_expires_at_ms(reservation.expiresAtMs);
  for (const auto& line : reservation.lines) {
    auto* added = out->add_lines();
    added->set_variant_id(line.variantId);
    added->set_sku(line.sku);
    added->set_quantity(line.quantity);
  }
}

// Sums the request's lines per variant (order of first appearance).
grpc::Status mergeLines(const google::protobuf::RepeatedPtrField<inv::StockLine>& lines, std::vector<Line>& merged) {
  for (const auto& line : lines) {
    if (line.variant_id().empty()) return invalid("a line has no variant_id");
    if (line.quantity() < 1) return invalid("quantity of " + line.variant_id() + " must be at least 1");
    auto it = std::find_if(merged.begin(), merged.end(),
                           [&](const Line& existing) { return existing.variantId == line.variant_id(); });
    if (it == merged.end()) {
      merged.push_back({line.variant_id(), line.sku(), line.quantity()});
    } else {
      it->quantity += line.quantity();
    }
  }
  return grpc::Status::OK;
}

// The shared state of both services. Handlers take `mutex` for the whole of their work,
// so every RPC is atomic (ReserveStock's all-or-nothing needs that).
struct State {
  mutable std::mutex mutex;
  std::condition_variable wake;  // ends latency waits on stop()
  bool stopping = false;
  std::chrono::milliseconds latency{0};
  std::optional<int64_t> fixedNowMs;
  bool shortageTrailer = true;
  int calls = 0;
  int64_t nextReservation = 1;
  std::map<std::string, Organization> organizations;

  int64_t nowMs() const {
    if (fixedNowMs) return *fixedNowMs;
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // Counts the call and applies the latency. Returns with the lock held, or not OK when
  // the client gave up or the server is stopping meanwhile.
  grpc::Status enter(grpc::ServerContext* context, std::unique_lock<std::mutex>& lock) {
    lock = std::unique_lock(mutex);
    ++calls;
    const auto until = std::chrono::steady_clock::now() + latency;
    while (!stopping && std::chrono::steady_clock::now() < until) {
      if (context->IsCancelled()) return {grpc::StatusCode::CANCELLED, "the client gave up"};
      // Short slices: cancellation is polled, it does not notify the condition variable.
      wake.wait_for(lock, std::chrono::milliseconds(10));
    }
    if (stopping) return {grpc::StatusCode::UNAVAILABLE, "the server is stopping"};
    return grpc::Status::OK;
  }

  // The organization's state (created empty on first use: an unknown organization is a
  // tenant with nothing in it).
  Organization& organization(const std::string& id) { return organizations[id]; }

  // Ends the active reservations whose TTL has passed, giving their stock back.
  void expire(Organization& org) {
    const int64_t now = nowMs();
    for (auto& [id, reservation] : org.reservations) {
      if (reservation.state != inv::RESERVATION_STATE_ACTIVE || now < reservation.expiresAtMs) continue;
      reservation.state = inv::RESERVATION_STATE_EXPIRED;
      for (const auto& line : reservation.lines) org.stock[line.variantId].reserved -= line.quantity;
    }
  }

  std::string skuOf(const Organization& org, const std::string& variantId, const std::string& requested) const {
    const auto product = org.productOfVariant.find(variantId);
    if (product != org.productOfVariant.end()) {
      for (const auto& variant : org.products.at(product->second).variants) {
        if (variant.variantId == variantId && !variant.sku.empty()) return variant.sku;
      }
    }
    return requested;
  }

  static int64_t available(const Organization& org, const std::string& variantId) {
    const auto found = org.stock.find(variantId);
    return found == org.stock.end() ? 0 : found->second.onHand - found->second.reserved;
  }

  void addProduct(const std::string& organizationId, FakeCommerceGrpcServer::Product product) {
    std::sort(product.variants.begin(), product.variants.end(),
              [](const auto& a, const auto& b) { return a.variantId < b.variantId; });
    std::lock_guard lock(mutex);
    auto& org = organization(organizationId);
    const auto previous = org.products.find(product.productId);
    if (previous != org.products.end()) {
      for (const auto& variant : previous->second.variants) org.productOfVariant.erase(variant.variantId);
    }
    for (const auto& variant : product.variants) org.productOfVariant[variant.variantId] = product.productId;
    const std::string id = product.productId;
    org.products[id] = std::move(product);
  }
};

class CatalogServiceImpl final : public cat::CatalogService::Service {
 public:
  explicit CatalogServiceImpl(State& state) : state_(state) {}

  grpc::Status GetProductDetails(grpc::ServerContext* context, const cat::GetProductDetailsRequest* request,
                                 cat::GetProductDetailsResponse* response) override {
    std::unique_lock<std::mutex> lock;
    if (auto entered = state_.enter(context, lock); !entered.ok()) return entered;
    if (request->organization_id().empty()) return invalid("organization_id is required");
    const auto& org = state_.organization(request->organization_id());
    const auto product = org.products.find(request->product_id());
    if (product == org.products.end()) return notFound("product " + request->product_id() + " not found");
    fillProduct(response->mutable_product(), product->second, false);
    return grpc::Status::OK;
  }

  grpc::Status ValidateVariant(grpc::ServerContext* context, const cat::ValidateVariantRequest* request,
                               cat::ValidateVariantResponse* response) override {
    std::unique_lock<std::mutex> lock;
    if (auto entered = state_.enter(context, lock); !entered.ok()) return entered;
    if (request->organization_id().empty()) return invalid("organization_id is required");
    const auto& org = state_.organization(request->organization_id());
    const auto productId = org.productOfVariant.find(request->variant_id());
    if (productId == org.productOfVariant.end()) return notFound("variant " + request->variant_id() + " not found");
    const auto& product = org.products.at(productId->second);
    for (const auto& variant : product.variants) {
      if (variant.variantId != request->variant_id()) continue;
      fillVariant(response->mutable_variant(), product, variant);
      response->set_product_name(product.name);
      response->set_sellable(product.active && variant.active);
      return grpc::Status::OK;
    }
    return notFound("variant " + request->variant_id() + " not found");
  }

  grpc::Status ListProducts(grpc::ServerContext* context, const cat::ListProductsRequest* request,
                            cat::ListProductsResponse* response) override {
    std::unique_lock<std::mutex> lock;
    if (auto entered = state_.enter(context, lock); !entered.ok()) return entered;
    if (request->organization_id().empty()) return invalid("organization_id is required");
    if (request->page_size() < 1) return invalid("page_size must be at least 1");
    const int pageSize = std::min(request->page_size(), kMaxPageSize);
    const auto& org = state_.organization(request->organization_id());
    for (auto it = org.products.upper_bound(request->after_product_id());
         it != org.products.end() && response->products_size() < pageSize; ++it) {
      if (sellable(it->second)) fillProduct(response->add_products(), it->second, true);
    }
    return grpc::Status::OK;
  }

 private:
  State& state_;
};

class InventoryServiceImpl final : public inv::InventoryService::Service {
 public:
  explicit InventoryServiceImpl(State& state) : state_(state) {}

  grpc::Status CheckAvailability(grpc::ServerContext* context, const inv::CheckAvailabilityRequest* request,
                                 inv::CheckAvailabilityResponse* response) override {
    std::unique_lock<std::mutex> lock;
    if (auto entered = state_.enter(context, lock); !entered.ok()) return entered;
    if (request->organization_id().empty()) return invalid("organization_id is required");
    std::vector<Line> lines;
    if (auto merged = mergeLines(request->lines(), lines); !merged.ok()) return merged;
    auto& org = state_.organization(request->organization_id());
    state_.expire(org);
    for (const auto& line : lines) {
      auto* item = response->add_availability();
      item->set_variant_id(line.variantId);
      item->set_sku(state_.skuOf(org, line.variantId, line.sku));
      item->set_requested(line.quantity);
      item->set_available(State::available(org, line.variantId));
    }
    return grpc::Status::OK;
  }

  grpc::Status ReserveStock(grpc::ServerContext* context, const inv::ReserveStockRequest* request,
                            inv::ReserveStockResponse* response) override {
    std::unique_lock<std::mutex> lock;
    if (auto entered = state_.enter(context, lock); !entered.ok()) return entered;
    if (request->organization_id().empty()) return invalid("organization_id is required");
    if (request->reference().empty()) return invalid("reference is required");
    if (request->ttl_seconds() < 1) return invalid("ttl_seconds must be at least 1");
    if (request->lines().empty()) return invalid("at least one line is required");
    std::vector<Line> lines;
    if (auto merged = mergeLines(request->lines(), lines); !merged.ok()) return merged;
    auto& org = state_.organization(request->organization_id());
    state_.expire(org);
    for (auto& line : lines) line.sku = state_.skuOf(org, line.variantId, line.sku);

    // Idempotent per reference: a retry gets the reservation the first attempt made.
    for (const auto& [id, existing] : org.reservations) {
      if (existing.reference != request->reference() || existing.state != inv::RESERVATION_STATE_ACTIVE) continue;
      if (sameQuantities(existing.lines, lines)) {
        fillReservation(response->mutable_reservation(), existing);
        return grpc::Status::OK;
      }
      return {grpc::StatusCode::ALREADY_EXISTS,
              "reference " + request->reference() + " already holds reservation " + id + " for other lines"};
    }

    inv::InsufficientStock shortage;
    std::string message = "insufficient stock for";
    for (const auto& line : lines) {
      const int64_t available = State::available(org, line.variantId);
      if (available >= line.quantity) continue;
      auto* item = shortage.add_shortages();
      item->set_variant_id(line.variantId);
      item->set_sku(line.sku);
      item->set_requested(line.quantity);
      item->set_available(available);
      message += (shortage.shortages_size() > 1 ? ", " : " ") + (line.sku.empty() ? line.variantId : line.sku);
    }
    if (shortage.shortages_size() > 0) {
      if (state_.shortageTrailer) {
        context->AddTrailingMetadata(kInsufficientStockTrailer, shortage.SerializeAsString());
      }
      return failedPrecondition(message);
    }

    StoredReservation reservation;
    reservation.id = "rsv-" + std::to_string(state_.nextReservation++);
    reservation.reference = request->reference();
    reservation.expiresAtMs = state_.nowMs() + request->ttl_seconds() * 1000;
    reservation.lines = lines;
    for (const auto& line : lines) org.stock[line.variantId].reserved += line.quantity;
    fillReservation(response->mutable_reservation(), reservation);
    org.reservations.emplace(reservation.id, std::move(reservation));
    return grpc::Status::OK;
  }

  grpc::Status ReleaseReservation(grpc::ServerContext* context, const inv::ReleaseReservationRequest* request,
                                  inv::ReleaseReservationResponse* response) override {
    std::unique_lock<std::mutex> lock;
    if (auto entered = state_.enter(context, lock); !entered.ok()) return entered;
    StoredReservation* reservation = nullptr;
    if (auto found = find(request->organization_id(), request->reservation_id(), reservation); !found.ok()) {
      return found;
    }
    if (reservation->state == inv::RESERVATION_STATE_CONFIRMED) {
      return failedPrecondition("reservation " + reservation->id + " is confirmed and cannot be released");
    }
    if (reservation->state == inv::RESERVATION_STATE_ACTIVE) {
      auto& org = state_.organization(request->organization_id());
      for (const auto& line : reservation->lines) org.stock[line.variantId].reserved -= line.quantity;
      reservation->state = inv::RESERVATION_STATE_RELEASED;
    }
    fillReservation(response->mutable_reservation(), *reservation);
    return grpc::Status::OK;
  }

  grpc::Status ConfirmReservation(grpc::ServerContext* context, const inv::ConfirmReservationRequest* request,
                                  inv::ConfirmReservationResponse* response) override {
    std::unique_lock<std::mutex> lock;
    if (auto entered = state_.enter(context, lock); !entered.ok()) return entered;
    StoredReservation* reservation = nullptr;
    if (auto found = find(request->organization_id(), request->reservation_id(), reservation); !found.ok()) {
      return found;
    }
    if (reservation->state == inv::RESERVATION_STATE_RELEASED || reservation->state == inv::RESERVATION_STATE_EXPIRED) {
      return failedPrecondition("reservation " + reservation->id + " is " +
                                (reservation->state == inv::RESERVATION_STATE_RELEASED ? "released" : "expired") +
                                " and cannot be confirmed");
    }
    if (reservation->state == inv::RESERVATION_STATE_ACTIVE) {
      auto& org = state_.organization(request->organization_id());
      for (const auto& line : reservation->lines) {
        auto& level = org.stock[line.variantId];
        level.reserved -= line.quantity;
        level.onHand -= line.quantity;
      }
      reservation->state = inv::RESERVATION_STATE_CONFIRMED;
    }
    fillReservation(response->mutable_reservation(), *reservation);
    return grpc::Status::OK;
  }

 private:
  static bool sameQuantities(const std::vector<Line>& a, const std::vector<Line>& b) {
    if (a.size() != b.size()) return false;
    return std::all_of(a.begin(), a.end(), [&](const Line& line) {
      return std::any_of(b.begin(), b.end(), [&](const Line& other) {
        return other.variantId == line.variantId && other.quantity == line.quantity;
      });
    });
  }

  // The reservation, after expiring what is due. Call with the lock held.
  grpc::Status find(const std::string& organizationId, const std::string& reservationId, StoredReservation*& out) {
    if (organizationId.empty()) return invalid("organization_id is required");
    if (reservationId.empty()) return invalid("reservation_id is required");
    auto& org = state_.organization(organizationId);
    state_.expire(org);
    const auto found = org.reservations.find(reservationId);
    if (found == org.reservations.end()) return notFound("reservation " + reservationId + " not found");
    out = &found->second;
    return grpc::Status::OK;
  }

  State& state_;
};

}  // namespace

struct FakeCommerceGrpcServer::Impl : State {
  Impl() : catalogService(*this), inventoryService(*this) {}

  CatalogServiceImpl catalogService;
  InventoryServiceImpl inventoryService;
  std::unique_ptr<grpc::Server> server;
  int boundPort = 0;
};

FakeCommerceGrpcServer::FakeCommerceGrpcServer() : impl_(std::make_unique<Impl>()) {}

FakeCommerceGrpcServer::~FakeCommerceGrpcServer() {
  stop();
}

void FakeCommerceGrpcServer::start(const std::string& host, int port) {
  if (impl_->server) throw std::runtime_error("fake commerce gRPC server already started");
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = false;
  }
  grpc::ServerBuilder builder;
  int bound = 0;
  builder.AddListeningPort(host + ":" + std::to_string(port), grpc::InsecureServerCredentials(), &bound);
  builder.RegisterService(&impl_->catalogService);
  builder.RegisterService(&impl_->inventoryService);
  auto server = builder.BuildAndStart();
  if (!server || bound == 0) {
    throw std::runtime_error("fake commerce gRPC server cannot listen on " + host + ":" + std::to_string(port));
  }
  impl_->server = std::move(server);
  impl_->boundPort = bound;
}

int FakeCommerceGrpcServer::port() const {
  return impl_->boundPort;
}

void FakeCommerceGrpcServer::stop() {
  if (!impl_->server) return;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  impl_->server->Shutdown(std::chrono::system_clock::now());
  impl_->server->Wait();
  impl_->server.reset();
}

void FakeCommerceGrpcServer::addProduct(const std::string& organizationId, Product product) {
  impl_->addProduct(organizationId, std::move(product));
}

void FakeCommerceGrpcServer::setStock(const std::string& organizationId, const std::string& variantId, int64_t onHand) {
  std::lock_guard lock(impl_->mutex);
  impl_->organization(organizationId).stock[variantId].onHand = onHand;
}

void FakeCommerceGrpcServer::loadSeedJson(const std::string& jsonText) {
  using Poco::JSON::Object;
  try {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(jsonText).extract<Object::Ptr>();
    const auto organizations = root->getArray("organizations");
    if (!organizations) throw std::runtime_error("seed: \"organizations\" array missing");
    for (std::size_t o = 0; o < organizations->size(); ++o) {
      const auto org = organizations->getObject(static_cast<unsigned>(o));
      if (!org || !org->has("id")) throw std::runtime_error("seed: an organization without \"id\"");
      const std::string organizationId = org->getValue<std::string>("id");
      const auto products = org->getArray("products");
      for (std::size_t p = 0; products && p < products->size(); ++p) {
        const auto item = products->getObject(static_cast<unsigned>(p));
        if (!item || !item->has("id")) throw std::runtime_error("seed: a product without \"id\" in " + organizationId);
        Product product;
        product.productId = item->getValue<std::string>("id");
        product.name = item->optValue<std::string>("name", product.productId);
        product.description = item->optValue<std::string>("description", "");
        product.taxClass = item->optValue<std::string>("taxClass", "standard");
        product.active = item->optValue<bool>("active", true);
        std::vector<std::pair<std::string, int64_t>> stock;
        const auto variants = item->getArray("variants");
        for (std::size_t v = 0; variants && v < variants->size(); ++v) {
          const auto entry = variants->getObject(static_cast<unsigned>(v));
          if (!entry || !entry->has("id")) {
            throw std::runtime_error("seed: a variant without \"id\" in product " + product.productId);
          }
          Variant variant;
          variant.variantId = entry->getValue<std::string>("id");
          variant.sku = entry->optValue<std::string>("sku", variant.variantId);
          variant.name = entry->optValue<std::string>("name", "");
          if (const auto prices = entry->getObject("prices")) {
            for (const auto& [currency, amount] : *prices) variant.prices[currency] = amount.convert<Poco::Int64>();
          }
          variant.weightGrams = entry->optValue<int>("weightGrams", 0);
          variant.lengthMm = entry->optValue<int>("lengthMm", 0);
          variant.widthMm = entry->optValue<int>("widthMm", 0);
          variant.heightMm = entry->optValue<int>("heightMm", 0);
          variant.active = entry->optValue<bool>("active", true);
          if (entry->has("stock")) stock.emplace_back(variant.variantId, entry->getValue<Poco::Int64>("stock"));
          product.variants.push_back(std::move(variant));
        }
        addProduct(organizationId, std::move(product));
        for (const auto& [variantId, onHand] : stock) setStock(organizationId, variantId, onHand);
      }
    }
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("seed: " + e.displayText());
  }
}

void FakeCommerceGrpcServer::loadSeedFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("seed: cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  loadSeedJson(text.str());
}

void FakeCommerceGrpcServer::setLatencyForTest(std::chrono::milliseconds latency) {
  std::lock_guard lock(impl_->mutex);
  impl_->latency = latency;
}

void FakeCommerceGrpcServer::setShortageTrailerForTest(bool send) {
  std::lock_guard lock(impl_->mutex);
  impl_->shortageTrailer = send;
}

void FakeCommerceGrpcServer::setNowForTest(int64_t unixMs) {
  std::lock_guard lock(impl_->mutex);
  impl_->fixedNowMs = unixMs;
}

void FakeCommerceGrpcServer::advanceClockForTest(std::chrono::milliseconds by) {
  std::lock_guard lock(impl_->mutex);
  impl_->fixedNowMs = impl_->nowMs() + by.count();
}

FakeCommerceGrpcServer::StockLevel FakeCommerceGrpcServer::stockForTest(const std::string& organizationId,
                                                                        const std::string& variantId) {
  std::lock_guard lock(impl_->mutex);
  auto& org = impl_->organization(organizationId);
  impl_->expire(org);
  const auto found = org.stock.find(variantId);
  return found == org.stock.end() ? StockLevel{} : found->second;
}

int FakeCommerceGrpcServer::callsForTest() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->calls;
}

}  // namespace ordersvc::testing
