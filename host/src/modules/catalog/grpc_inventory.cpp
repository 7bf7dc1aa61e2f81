#include "modules/catalog/grpc_inventory.h"

#include <algorithm>
#include <exception>
#include <map>

#include "kernel/json_text.h"
#include "platform/integrations/grpc_remote.h"
#include "proto/inventory.grpc.pb.h"

namespace ordersvc::integrations {

namespace v1 = ordersvc::inventory::v1;

namespace {

// The trailer in which the Inventory service names the short variants (inventory.proto).
constexpr const char* kInsufficientStockTrailer = "ordersvc-insufficient-stock-bin";

// Sums the lines per variant, keeping the order of first appearance and the first SKU
// given for each variant. InvalidArgument for an empty variant id or a quantity < 1.
Result<std::vector<services::StockLine>> mergeLines(const std::vector<services::StockLine>& lines) {
  std::vector<services::StockLine> merged;
  std::map<std::string, std::size_t> position;
  for (const auto& line : lines) {
    if (line.variantId.empty()) return Error::invalidArgument("every stock line needs a variant id");
    if (line.quantity < 1) {
      return Error::invalidArgument("quantity of variant " + line.variantId + " must be at least 1");
    }
    const auto [it, inserted] = position.emplace(line.variantId, merged.size());
    if (inserted) {
      merged.push_back(line);
    } else {
      auto& existing = merged[it->second];
      existing.quantity += line.quantity;
      if (existing.sku.empty()) existing.sku = line.sku;
    }
  }
  return merged;
}

void addLines(const std::vector<services::StockLine>& lines, google::protobuf::RepeatedPtrField<v1::StockLine>* out) {
  for (const auto& line : lines) {
    auto* added = out->Add();
    added->set_variant_id(line.variantId);
    added->set_sku(line.sku);
    added->set_quantity(line.quantity);
  }
}

// Unprocessable naming each short SKU, from the remote's InsufficientStock trailer; when
// the remote sends none, names every requested SKU (it cannot tell which are short).
Error insufficientStock(const grpc::ClientContext& context, const grpc::Status& status,
                        const std::vector<services::StockLine>& requested) {
  std::string names;
  std::string details = "[";
  // One shortage into the message and the details; available < 0: not known.
  auto add = [&](const std::string& variantId, const std::string& sku, int64_t wanted, int64_t available) {
    const bool first = details.size() == 1;
    names += (first ? "" : ", ") + (sku.empty() ? variantId : sku);
    details += first ? "{\"variantId\":" : ",{\"variantId\":";
    appendJsonString(details, variantId);
    details += ",\"sku\":";
    appendJsonString(details, sku);
    details += ",\"requested\":" + std::to_string(wanted);
    if (available >= 0) {
      names += " (requested " + std::to_string(wanted) + ", available " + std::to_string(available) + ")";
      details += ",\"available\":" + std::to_string(available);
    }
    details += "}";
  };

  v1::InsufficientStock shortage;
  const auto& trailers = context.GetServerTrailingMetadata();
  const auto found = trailers.find(kInsufficientStockTrailer);
  std::string message;
  if (found != trailers.end() &&
      shortage.ParseFromArray(found->second.data(), static_cast<int>(found->second.size())) &&
      shortage.shortages_size() > 0) {
    for (const auto& item : shortage.shortages()) {
      add(item.variant_id(), item.sku(), item.requested(), std::max<int64_t>(item.available(), 0));
    }
    message = "insufficient stock for " + names;
  } else {
    for (const auto& line : requested) add(line.variantId, line.sku, line.quantity, -1);
    message = "insufficient stock for one or more of " + names;
    if (!status.error_message().empty()) message += " (" + status.error_message() + ")";
  }
  details += "]";
  return Error{ErrorCode::Unprocessable, std::move(message), std::move(details)};
}

}  // namespace

struct GrpcInventory::Impl {
  Impl(std::string host, int port, std::chrono::milliseconds callTimeout)
      : remote("inventory", std::move(host), port, callTimeout),
        stub(v1::InventoryService::NewStub(remote.channel())) {}

  GrpcRemote remote;
  std::unique_ptr<v1::InventoryService::Stub> stub;
};

GrpcInventory::GrpcInventory(std::string host, int port, std::chrono::milliseconds callTimeout)
    : impl_(std::make_unique<Impl>(std::move(host), port, callTimeout)) {}

GrpcInventory::~GrpcInventory() = default;

Result<std::vector<services::Availability>> GrpcInventory::checkAvailability(
    const std::string& organizationId, const std::vector<services::StockLine>& lines) {
  if (organizationId.empty()) return Error::invalidArgument("organization id is required");
  auto merged = mergeLines(lines);
  if (!merged) return merged.error();
  if (merged->empty()) return std::vector<services::Availability>{};
  try {
    v1::CheckAvailabilityRequest request;
    request.set_organization_id(organizationId);
    addLines(*merged, request.mutable_lines());
    v1::CheckAvailabilityResponse response;
    grpc::ClientContext context;
    impl_->remote.prepare(context);
    const grpc::Status status = impl_->stub->CheckAvailability(&context, request, &response);
    if (!status.ok()) return impl_->remote.toError(status);

    std::map<std::string, int64_t> available;
    for (const auto& item : response.availability()) available[item.variant_id()] = item.available();
    std::vector<services::Availability> result;
    result.reserve(merged->size());
    for (const auto& line : *merged) {
      const auto found = available.find(line.variantId);
      if (found == available.end()) {
        return impl_->remote.badAnswer("CheckAvailability left out variant " + line.variantId);
      }
      result.push_back({line.variantId, line.quantity, found->second});
    }
    return result;
  } catch (const std::exception& e) {
    return Error::internal("inventory call failed: " + std::string(e.what()));
  }
}

Result<services::Reservation> GrpcInventory::reserve(storage::Connection& /*transaction*/,
                                                     const std::string& organizationId, const std::string& reference,
                                                     const std::vector<services::StockLine>& lines, int64_t ttlSeconds,
                                                     int64_t /*nowMs*/) {
  if (organizationId.empty() || reference.empty()) {
    return Error::invalidArgument("organization id and reference are required");
  }
  if (ttlSeconds < 1) return Error::invalidArgument("reservation ttl must be at least 1 second");
  auto merged = mergeLines(lines);
  if (!merged) return merged.error();
  if (merged->empty()) return Error::invalidArgument("a reservation needs at least one line");
  try {
    v1::ReserveStockRequest request;
    request.set_organization_id(organizationId);
    request.set_reference(reference);
    request.set_ttl_seconds(ttlSeconds);
    addLines(*merged, request.mutable_lines());
    v1::ReserveStockResponse response;
    grpc::ClientContext context;
    impl_->remote.prepare(context);
    const grpc::Status status = impl_->stub->ReserveStock(&context, request, &response);
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
        status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      return insufficientStock(context, status, *merged);
    }
    if (!status.ok()) return impl_->remote.toError(status);
    if (response.reservation().reservation_id().empty()) {
      return impl_->remote.badAnswer("ReserveStock returned no reservation id");
    }
    return services::Reservation{response.reservation().reservation_id(), response.reservation().expires_at_ms()};
  } catch (const std::exception& e) {
    return Error::internal("inventory call failed: " + std::string(e.what()));
  }
}

Status GrpcInventory::release(storage::Connection& /*transaction*/, const std::string& organizationId,
                              const std::string& reservationId, int64_t /*nowMs*/) {
  if (organizationId.empty() || reservationId.empty()) {
    return Error::invalidArgument("organization id and reservation id are required");
  }
  try {
    v1::ReleaseReservationRequest request;
    request.set_organization_id(organizationId);
    request.set_reservation_id(reservationId);
    v1::ReleaseReservationResponse response;
    grpc::ClientContext context;
    impl_->remote.prepare(context);
    const grpc::Status status = impl_->stub->ReleaseReservation(&context, request, &response);
    if (!status.ok()) return impl_->remote.toError(status, "reservation " + reservationId + " not found");
    return Status::ok();
  } catch (const std::exception& e) {
    return Error::internal("inventory call failed: " + std::string(e.what()));
  }
}

Status GrpcInventory::confirm(storage::Connection& /*transaction*/, const std::string& organizationId,
                              const std::string& reservationId, int64_t /*nowMs*/) {
  if (organizationId.empty() || reservationId.empty()) {
    return Error::invalidArgument("organization id and reservation id are required");
  }
  try {
    v1::ConfirmReservationRequest request;
    request.set_organization_id(organizationId);
    request.set_reservation_id(reservationId);
    v1::ConfirmReservationResponse response;
    grpc::ClientContext context;
    impl_->remote.prepare(context);
    const grpc::Status status = impl_->stub->ConfirmReservation(&context, request, &response);
    if (!status.ok()) return impl_->remote.toError(status, "reservation " + reservationId + " not found");
    return Status::ok();
  } catch (const std::exception& e) {
    return Error::internal("inventory call failed: " + std::string(e.what()));
  }
}

}  // namespace ordersvc::integrations
