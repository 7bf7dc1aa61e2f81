// FraudService against a fake repository and fake units of work: what it asks the
// store, what it records, when it commits, and what it answers when the store fails.
// (The SQL repository itself is tested on SQLite and PostgreSQL in
// tests/integration/storage/fraud_store_test.cpp.)
#include "modules/fraud/fraud_service.h"

#include <map>
#include <stdexcept>

#include <gtest/gtest.h>

#include "fake_units_of_work.h"

namespace ordersvc::testing {
namespace {

using domain::FraudOutcome;
using domain::VelocityKey;

constexpr int64_t kNow = 1'800'000'000'000;

// The repository in memory, counting by whatever the test puts in `counts`.
struct FakeRepository final : services::FraudRepository {
  services::StoredFraudRules loadRules(storage::UnitOfWork&, const std::string&) override {
    if (failLoads) throw std::runtime_error("store down");
    return stored;
  }
  bool saveRules(storage::UnitOfWork&, const std::string&, const domain::FraudRules& rules, int64_t expected,
                 int64_t nowMs) override {
    if (expected != stored.version) return false;
    stored = {rules, stored.version + 1, nowMs};
    return true;
  }
  bool recordSignal(storage::UnitOfWork&, const std::string&, const services::RiskSignal& signal) override {
    signals.push_back(signal);
    return true;
  }
  bool markFailed(storage::UnitOfWork&, const std::string&, const std::string& paymentId) override {
    failed.push_back(paymentId);
    return true;
  }
  int64_t countSince(storage::UnitOfWork&, const std::string&, VelocityKey key, const std::string& value,
                     int64_t sinceMs) override {
    asked[key] = {value, sinceMs};
    return counts[key];
  }
  int64_t failedSince(storage::UnitOfWork&, const std::string&, VelocityKey, const std::string&, int64_t) override {
    return failedCount;
  }

  services::StoredFraudRules stored;
  bool failLoads = false;
  std::vector<services::RiskSignal> signals;
  std::vector<std::string> failed;
  std::map<VelocityKey, int64_t> counts;
  std::map<VelocityKey, std::pair<std::string, int64_t>> asked;
  int64_t failedCount = 0;
};

class FraudServiceTest : public ::testing::Test {
 protected:
  services::FraudInput attempt(const std::string& paymentId) {
    services::FraudInput in;
    in.paymentId = paymentId;
    in.orderId = "ord_1";
    in.customerId = "alice";
    in.email = "Ana@Example.com";
    in.ip = "10.0.0.7";
    in.amountMinor = 19990;
    in.currency = "CLP";
    return in;
  }
  Result<domain::FraudDecision> assess(const services::FraudInput& in) {
    int commits = 0;
    FakeUnit unit(commits);
    return service_.assess(unit, "org_a", in, kNow);
  }

  FakeUnits units_;
  FakeRepository repository_;
  services::FraudService service_{units_, repository_, [] { return kNow; }};
  services::Actor manager_ = [] {
    services::Actor a;
    a.organizationId = "org_a";
    a.subject = "mia";
    a.staff = a.manager = true;
    return a;
  }();
};

TEST_F(FraudServiceTest, OnlyManagersReadOrReplaceRulesAndNoUnitIsBegunForOthers) {
  services::Actor operatorA = manager_;
  operatorA.manager = false;
  EXPECT_EQ(service_.rules(operatorA).error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(service_.replaceRules(operatorA, {}, 0).error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(units_.begun, 0);
}

TEST_F(FraudServiceTest, ReplacingCommitsOnceAndAStaleVersionIsAConflictThatCommitsNothing) {
  domain::FraudRules quiet;
  quiet.enabled = false;
  const auto saved = service_.replaceRules(manager_, quiet, 0);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->version, 1);
  EXPECT_EQ(saved->updatedAtMs, kNow);
  EXPECT_EQ(units_.commits, 1);
  const auto stale = service_.replaceRules(manager_, {}, 0);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::Conflict);
  EXPECT_NE(stale.error().message.find("at version 1, not 0"), std::string::npos) << stale.error().message;
  EXPECT_EQ(units_.commits, 1);
}

TEST_F(FraudServiceTest, CountsIncludeThisAttemptOverEachRulesWindowAndTheAttemptIsRecorded) {
  const auto quiet = assess(attempt("pay_1"));
  ASSERT_TRUE(quiet);
  EXPECT_EQ(quiet->outcome, FraudOutcome::Allow);
  // Asked per key with the rule's window; the email as given (the store hashes it).
  EXPECT_EQ(repository_.asked[VelocityKey::Customer], std::make_pair(std::string("alice"), kNow - 60 * 60'000));
  EXPECT_EQ(repository_.asked[VelocityKey::Email].first, "Ana@Example.com");
  EXPECT_EQ(repository_.asked[VelocityKey::Ip].first, "10.0.0.7");
  EXPECT_FALSE(repository_.asked.count(VelocityKey::Card)) << "no card: never counted under an empty key";
  ASSERT_EQ(repository_.signals.size(), 1u);
  EXPECT_EQ(repository_.signals[0].paymentId, "pay_1");
  EXPECT_EQ(repository_.signals[0].atMs, kNow);
  EXPECT_EQ(repository_.signals[0].outcome, FraudOutcome::Allow);

  // Far past the customer's deny limit: denied, and recorded as denied.
  repository_.counts[VelocityKey::Customer] = 50;
  const auto busy = assess(attempt("pay_2"));
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->outcome, FraudOutcome::Deny);
  ASSERT_FALSE(busy->reasons.empty());
  EXPECT_EQ(busy->reasons[0].code, "velocity.customer");
  EXPECT_EQ(repository_.signals.back().outcome, FraudOutcome::Deny);
}

TEST_F(FraudServiceTest, EmptyKeysAreAbsentAndDisabledRulesStillRecordTheAttempt) {
  auto guest = attempt("pay_1");
  guest.customerId = "";
  guest.email = "";
  guest.ip = "";
  ASSERT_TRUE(assess(guest));
  EXPECT_TRUE(repository_.asked.empty());
  EXPECT_FALSE(repository_.signals.back().customerId);
  EXPECT_FALSE(repository_.signals.back().email);

  repository_.stored.rules.enabled = false;
  repository_.counts[VelocityKey::Customer] = 1000;
  repository_.asked.clear();
  const auto off = assess(attempt("pay_2"));
  ASSERT_TRUE(off);
  EXPECT_EQ(off->outcome, FraudOutcome::Allow);
  EXPECT_TRUE(repository_.asked.empty()) << "nothing is counted while the rules are off";
  EXPECT_EQ(repository_.signals.back().paymentId, "pay_2") << "but the attempt is recorded for when they are on";
}

TEST_F(FraudServiceTest, TheScreenNeverRecordsTheGatewayTokenAndFailuresAreMarked) {
  services::FraudScreenInput input;
  input.paymentId = "pay_1";
  input.orderId = "ord_1";
  input.customerId = "alice";
  input.clientIp = "10.0.0.7";
  input.cardFingerprint = "stripe:pm_card_visa";
  input.amountMinor = 1000;
  input.currency = "USD";
  int commits = 0;
  FakeUnit unit(commits);
  const auto verdict = service_.screen(unit, "org_a", input, kNow);
  ASSERT_TRUE(verdict) << verdict.error().message;
  EXPECT_EQ(verdict->outcome, "allow");
  ASSERT_TRUE(repository_.signals.back().cardFingerprint);
  EXPECT_EQ(repository_.signals.back().cardFingerprint->find("pm_card_visa"), std::string::npos);
  service_.recordFailure(unit, "org_a", "pay_1");
  EXPECT_EQ(repository_.failed, std::vector<std::string>{"pay_1"});
  EXPECT_EQ(commits, 0) << "the payment owns the transaction";
}

TEST_F(FraudServiceTest, AStoreFailureIsAnErrorAndNothingIsRecorded) {
  repository_.failLoads = true;
  const auto failed = assess(attempt("pay_1"));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::Internal);
  EXPECT_NE(failed.error().message.find("store down"), std::string::npos);
  EXPECT_TRUE(repository_.signals.empty());
  EXPECT_EQ(service_.rules(manager_).error().code, ErrorCode::Internal);
}

}  // namespace
}  // namespace ordersvc::testing
