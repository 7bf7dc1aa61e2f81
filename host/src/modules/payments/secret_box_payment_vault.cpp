#include "modules/payments/secret_box_payment_vault.h"

namespace ordersvc::plugins {

namespace {

std::string associatedData(const std::string& organizationId, const std::string& ownerId) {
  return "payment:" + organizationId + ":" + ownerId;
}

}  // namespace

Result<std::string> SecretBoxPaymentVault::seal(const std::string& organizationId, const std::string& ownerId,
                                                const std::string& plaintext) const {
  return box_.seal(plaintext, associatedData(organizationId, ownerId));
}

Result<std::string> SecretBoxPaymentVault::open(const std::string& organizationId, const std::string& ownerId,
                                                const std::string& stored) const {
  if (!stored.empty() && stored.front() == '{') return stored;  // written before provider_data was sealed
  return box_.open(stored, associatedData(organizationId, ownerId));
}

}  // namespace ordersvc::plugins
