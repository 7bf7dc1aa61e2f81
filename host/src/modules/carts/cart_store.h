#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/cart.h"
#include "platform/storage/database.h"

namespace ordersvc::storage {

// A cart as stored, with the hashes of its bearer tokens (never the tokens).
struct CartRecord {
  domain::Cart cart;
  std::optional<std::string> tokenHash;          // guest access token
  std::optional<std::string> recoveryTokenHash;  // abandoned-cart recovery link
};

// Carts and their items. Every function takes the caller's connection so several
// writes share its transaction; every query is scoped by organization.
namespace cart_store {

// `lock` takes the row lock (PostgreSQL FOR UPDATE) for a read-modify-write.
std::optional<CartRecord> find(Connection& c, const std::string& org, const std::string& id, bool lock);
std::optional<CartRecord> findByRecoveryToken(Connection& c, const std::string& org, const std::string& tokenHash);
std::optional<std::string> findActiveIdForCustomer(Connection& c, const std::string& org,
                                                   const std::string& customerId);

void insert(Connection& c, const CartRecord& record);
// Writes the cart's own columns (not its items) and the version; returns false when the
// stored version is not `expectedVersion` (someone else changed it).
bool updateHeader(Connection& c, const domain::Cart& cart, int64_t expectedVersion);
void setRecoveryToken(Connection& c, const std::string& org, const std::string& id,
                      const std::optional<std::string>& tokenHash, std::optional<int64_t> abandonedAtMs);
// A guest cart's new token (its hash): the recovery link proved ownership.
void setGuestTokenHash(Connection& c, const std::string& org, const std::string& id, const std::string& tokenHash);
// An active cart becomes expired (version + 1). False when it was no longer active.
bool expireIfActive(Connection& c, const std::string& org, const std::string& id, int64_t nowMs);

void insertItem(Connection& c, const std::string& org, const std::string& cartId, const domain::CartItem& item);
void updateItem(Connection& c, const std::string& org, const std::string& cartId, const domain::CartItem& item);
void deleteItem(Connection& c, const std::string& org, const std::string& cartId, const std::string& itemId);

// Active carts idle since before `idleBeforeMs` and not yet marked abandoned, oldest
// first, locked with SKIP LOCKED so several processes split the work.
std::vector<std::pair<std::string, std::string>> claimIdle(Connection& c, int64_t idleBeforeMs, int limit);
// Active carts past their expiry, likewise.
std::vector<std::pair<std::string, std::string>> claimExpired(Connection& c, int64_t nowMs, int limit);

}  // namespace cart_store
}  // namespace ordersvc::storage
