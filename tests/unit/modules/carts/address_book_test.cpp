// AddressBook against a fake repository and fake units: what it stores, for whom, when it
// commits, and what a missing address or a failing store answers.
#include "modules/carts/address_book.h"

#include <stdexcept>

#include <gtest/gtest.h>

#include "fake_units_of_work.h"

namespace ordersvc::testing {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

struct FakeAddresses final : services::AddressRepository {
  void insert(storage::UnitOfWork&, const std::string& org, const services::SavedAddress& address) override {
    if (fail) throw std::runtime_error("store down");
    rows.push_back({org, address});
  }
  std::optional<services::SavedAddress> find(storage::UnitOfWork&, const std::string& org, const std::string& customer,
                                             const std::string& id) override {
    for (const auto& [o, a] : rows) {
      if (o == org && a.customerId == customer && a.id == id) return a;
    }
    return std::nullopt;
  }
  std::vector<services::SavedAddress> list(storage::UnitOfWork&, const std::string& org,
                                           const std::string& customer) override {
    if (fail) throw std::runtime_error("store down");
    std::vector<services::SavedAddress> out;
    for (const auto& [o, a] : rows) {
      if (o == org && a.customerId == customer) out.push_back(a);
    }
    return out;
  }
  bool remove(storage::UnitOfWork&, const std::string& org, const std::string& customer,
              const std::string& id) override {
    const auto before = rows.size();
    std::erase_if(rows, [&](const auto& row) {
      return row.first == org && row.second.customerId == customer && row.second.id == id;
    });
    return rows.size() < before;
  }

  std::vector<std::pair<std::string, services::SavedAddress>> rows;
  bool fail = false;
};

services::Actor customer(const std::string& org, const std::string& subject) {
  services::Actor actor;
  actor.organizationId = org;
  actor.subject = subject;
  return actor;
}

class AddressBookTest : public ::testing::Test {
 protected:
  FakeUnits units_;
  FakeAddresses addresses_;
  services::AddressBook book_{units_, addresses_, [] { return kNow; }};
};

TEST_F(AddressBookTest, SavesForTheCallerWithAnIdAndTheClocksTimeInOneCommit) {
  const auto saved = book_.save(customer("org_a", "alice"), R"({"line1":"Av. Providencia 1234"})");
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->id.rfind("addr_", 0), 0u) << saved->id;
  EXPECT_EQ(saved->customerId, "alice");
  EXPECT_EQ(saved->createdAtMs, kNow);
  EXPECT_EQ(units_.commits, 1);
  ASSERT_EQ(addresses_.rows.size(), 1u);
  EXPECT_EQ(addresses_.rows[0].first, "org_a");
}

TEST_F(AddressBookTest, OthersNeitherSeeNorRemoveACustomersAddress) {
  const auto saved = book_.save(customer("org_a", "alice"), "{}");
  ASSERT_TRUE(saved);
  EXPECT_TRUE(book_.list(customer("org_a", "bob"))->empty());
  EXPECT_TRUE(book_.list(customer("org_b", "alice"))->empty());
  const int commits = units_.commits;
  const auto refused = book_.remove(customer("org_a", "bob"), saved->id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::NotFound);
  EXPECT_EQ(units_.commits, commits) << "a refused removal commits nothing";
  EXPECT_EQ(book_.list(customer("org_a", "alice"))->size(), 1u);
  EXPECT_TRUE(book_.remove(customer("org_a", "alice"), saved->id));
  EXPECT_TRUE(book_.list(customer("org_a", "alice"))->empty());
}

TEST_F(AddressBookTest, CheckoutReadsASavedAddressOfTheNamedCustomerOnly) {
  const auto saved = book_.save(customer("org_a", "alice"), R"({"city":"Santiago"})");
  ASSERT_TRUE(saved);
  int commits = 0;
  FakeUnit unit(commits);
  EXPECT_EQ(book_.savedAddress(unit, "org_a", "alice", saved->id), R"({"city":"Santiago"})");
  EXPECT_FALSE(book_.savedAddress(unit, "org_a", "bob", saved->id));
  EXPECT_EQ(commits, 0) << "the checkout owns its transaction";
}

TEST_F(AddressBookTest, AFailingStoreIsAnErrorAndNothingIsCommitted) {
  addresses_.fail = true;
  const auto saved = book_.save(customer("org_a", "alice"), "{}");
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::Internal);
  EXPECT_EQ(units_.commits, 0);
  EXPECT_FALSE(book_.list(customer("org_a", "alice")));
}

}  // namespace
}  // namespace ordersvc::testing
