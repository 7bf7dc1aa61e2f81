// services::SqlFraudRepository (migration 7) against SQLite and the real PostgreSQL: rules with
// optimistic versions, and the risk signals the velocity rules count.
#include "modules/fraud/sql_fraud_repository.h"

#include <gtest/gtest.h>

#include "fraud_fixture.h"

namespace ordersvc::testing {
namespace {

using domain::VelocityKey;

class FraudStoreTest : public FraudBackendTest {
 protected:
  services::RiskSignal signal(const std::string& paymentId, int64_t atMs) {
    services::RiskSignal s;
    s.paymentId = paymentId;
    s.orderId = "ord_1";
    s.atMs = atMs;
    s.customerId = "cus_1";
    s.email = "ana@example.com";
    s.ip = "203.0.113.7";
    s.cardFingerprint = "fp_visa_4242";
    return s;
  }
};

TEST_P(FraudStoreTest, AnOrganizationWithoutSavedRulesGetsTheDefaultsAtVersionZero) {
  const auto stored = repo_.loadRules(unit(), "org_a");
  EXPECT_EQ(stored.version, 0);
  EXPECT_FALSE(stored.updatedAtMs);
  EXPECT_EQ(domain::fraudRulesText(stored.rules), domain::fraudRulesText(domain::FraudRules{}));
}

TEST_P(FraudStoreTest, SavesAreOptimisticOnTheVersion) {
  domain::FraudRules rules;
  rules.countryMismatch = domain::FraudOutcome::Deny;
  rules.amountThresholds["CLP"] = {100000, std::nullopt};
  ASSERT_TRUE(repo_.saveRules(unit(), "org_a", rules, 0, kNow));
  auto stored = repo_.loadRules(unit(), "org_a");
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(stored.updatedAtMs, kNow);
  EXPECT_EQ(domain::fraudRulesText(stored.rules), domain::fraudRulesText(rules));

  // A second "first save" and a stale version change nothing.
  domain::FraudRules other;
  other.enabled = false;
  EXPECT_FALSE(repo_.saveRules(unit(), "org_a", other, 0, kNow + 1));
  EXPECT_FALSE(repo_.saveRules(unit(), "org_a", other, 2, kNow + 1));
  stored = repo_.loadRules(unit(), "org_a");
  EXPECT_EQ(stored.version, 1);
  EXPECT_TRUE(stored.rules.enabled);

  ASSERT_TRUE(repo_.saveRules(unit(), "org_a", other, 1, kNow + 2));
  stored = repo_.loadRules(unit(), "org_a");
  EXPECT_EQ(stored.version, 2);
  EXPECT_EQ(stored.updatedAtMs, kNow + 2);
  EXPECT_FALSE(stored.rules.enabled);
  EXPECT_FALSE(repo_.saveRules(unit(), "org_a", rules, 1, kNow + 3)) << "version 1 is stale now";
}

TEST_P(FraudStoreTest, RulesAreKeptPerOrganization) {
  domain::FraudRules rules;
  rules.enabled = false;
  ASSERT_TRUE(repo_.saveRules(unit(), "org_a", rules, 0, kNow));
  EXPECT_EQ(repo_.loadRules(unit(), "org_b").version, 0);
  EXPECT_TRUE(repo_.loadRules(unit(), "org_b").rules.enabled);
  // org_a's version means nothing for org_b.
  EXPECT_FALSE(repo_.saveRules(unit(), "org_b", domain::FraudRules{}, 1, kNow));
  ASSERT_TRUE(repo_.saveRules(unit(), "org_b", domain::FraudRules{}, 0, kNow));
  EXPECT_FALSE(repo_.loadRules(unit(), "org_a").rules.enabled);
  EXPECT_EQ(repo_.loadRules(unit(), "org_a").version, 1);
}

TEST_P(FraudStoreTest, CountsEachKeyWithinTheWindowAndTheOrganization) {
  // Three attempts of the same shopper, one of another, and one of the same shopper's
  // keys in organization B.
  ASSERT_TRUE(repo_.recordSignal(unit(), "org_a", signal("pay_1", kNow - 20 * kMinute)));
  ASSERT_TRUE(repo_.recordSignal(unit(), "org_a", signal("pay_2", kNow - 5 * kMinute)));
  ASSERT_TRUE(repo_.recordSignal(unit(), "org_a", signal("pay_3", kNow)));
  auto stranger = signal("pay_4", kNow);
  stranger.customerId = "cus_2";
  stranger.email = "bob@example.com";
  stranger.ip = "198.51.100.1";
  stranger.cardFingerprint = "fp_other";
  ASSERT_TRUE(repo_.recordSignal(unit(), "org_a", stranger));
  ASSERT_TRUE(repo_.recordSignal(unit(), "org_b", signal("pay_5", kNow)));

  const std::pair<VelocityKey, std::string> keys[] = {{VelocityKey::Customer, "cus_1"},
                                                      {VelocityKey::Email, "ana@example.com"},
                                                      {VelocityKey::Ip, "203.0.113.7"},
                                                      {VelocityKey::Card, "fp_visa_4242"}};
  for (const auto& [key, value] : keys) {
    const std::string name(domain::velocityKeyName(key));
    EXPECT_EQ(repo_.countSince(unit(), "org_a", key, value, kNow - 30 * kMinute), 3) << name;
    // The window includes its first millisecond and nothing before it.
    EXPECT_EQ(repo_.countSince(unit(), "org_a", key, value, kNow - 20 * kMinute), 3) << name;
    EXPECT_EQ(repo_.countSince(unit(), "org_a", key, value, kNow - 20 * kMinute + 1), 2) << name;
    EXPECT_EQ(repo_.countSince(unit(), "org_a", key, value, kNow), 1) << name;
    EXPECT_EQ(repo_.countSince(unit(), "org_b", key, value, kNow - 30 * kMinute), 1) << name;
    EXPECT_EQ(repo_.countSince(unit(), "org_a", key, "nobody", kNow - 30 * kMinute), 0) << name;
  }
  EXPECT_EQ(repo_.countSince(unit(), "org_a", VelocityKey::Customer, "cus_2", kNow - 30 * kMinute), 1);
}

TEST_P(FraudStoreTest, AKeyTheAttemptDidNotHaveIsNeverCounted) {
  auto guest = signal("pay_g", kNow);
  guest.customerId.reset();
  guest.email.reset();
  ASSERT_TRUE(repo_.recordSignal(unit(), "org_a", guest));
  EXPECT_EQ(signalColumn("org_a", "pay_g", "customer_id"), "");
  EXPECT_EQ(signalColumn("org_a", "pay_g", "email_hash"), "");
  EXPECT_EQ(repo_.countSince(unit(), "org_a", VelocityKey::Customer, "", 0), 0);
  EXPECT_EQ(repo_.countSince(unit(), "org_a", VelocityKey::Email, "", 0), 0);
  EXPECT_EQ(repo_.countSince(unit(), "org_a", VelocityKey::Ip, "203.0.113.7", 0), 1);
}

TEST_P(FraudStoreTest, TheEmailIsStoredOnlyAsItsHash) {
  auto s = signal("pay_1", kNow);
  s.email = "  Ana@Example.COM ";
  ASSERT_TRUE(repo_.recordSignal(unit(), "org_a", s));
  const std::string stored = signalColumn("org_a", "pay_1", "email_hash");
  EXPECT_EQ(stored, services::emailHash("ana@example.com"));
  EXPECT_EQ(stored.size(), 64u);  // SHA-256 hex
  EXPECT_EQ(stored.find("example"), std::string::npos);
  EXPECT_EQ(repo_.countSince(unit(), "org_a", VelocityKey::Email, "ana@example.com", 0), 1);
  EXPECT_EQ(repo_.countSince(unit(), "org_a", VelocityKey::Email, "ANA@example.com", 0), 1);
  EXPECT_EQ(signalColumn("org_a", "pay_1", "card_fingerprint"), "fp_visa_4242") << "stored as given";
  EXPECT_EQ(signalColumn("org_a", "pay_1", "outcome"), "allow");
}

TEST_P(FraudStoreTest, RecordingAPaymentAgainWritesNothingAndKeepsTheTransactionUsable) {
  storage::Transaction tx(c());
  auto first = signal("pay_1", kNow);
  first.outcome = domain::FraudOutcome::Review;
  ASSERT_TRUE(repo_.recordSignal(unit(), "org_a", first));
  auto again = signal("pay_1", kNow + kMinute);
  again.outcome = domain::FraudOutcome::Deny;
  EXPECT_FALSE(repo_.recordSignal(unit(), "org_a", again));
  // On PostgreSQL a failed statement would abort the transaction; this one did not fail.
  EXPECT_TRUE(repo_.recordSignal(unit(), "org_a", signal("pay_2", kNow)));
  tx.commit();
  EXPECT_EQ(repo_.countSince(unit(), "org_a", VelocityKey::Customer, "cus_1", 0), 2);
  EXPECT_EQ(signalColumn("org_a", "pay_1", "outcome"), "review");
  // The same payment id in another organization is another attempt.
  EXPECT_TRUE(repo_.recordSignal(unit(), "org_b", again));
}

TEST_P(FraudStoreTest, FailedAttemptsAreTheMarkedOnes) {
  for (const char* id : {"pay_1", "pay_2", "pay_3"}) {
    ASSERT_TRUE(repo_.recordSignal(unit(), "org_a", signal(id, kNow)));
  }
  ASSERT_TRUE(repo_.recordSignal(unit(), "org_b", signal("pay_1", kNow)));
  EXPECT_EQ(repo_.failedSince(unit(), "org_a", VelocityKey::Customer, "cus_1", 0), 0);
  EXPECT_TRUE(repo_.markFailed(unit(), "org_a", "pay_1"));
  EXPECT_TRUE(repo_.markFailed(unit(), "org_a", "pay_3"));
  EXPECT_FALSE(repo_.markFailed(unit(), "org_a", "pay_unknown"));
  EXPECT_EQ(repo_.failedSince(unit(), "org_a", VelocityKey::Customer, "cus_1", 0), 2);
  EXPECT_EQ(repo_.failedSince(unit(), "org_a", VelocityKey::Card, "fp_visa_4242", 0), 2);
  EXPECT_EQ(repo_.failedSince(unit(), "org_a", VelocityKey::Customer, "cus_1", kNow + 1), 0) << "window";
  EXPECT_EQ(repo_.countSince(unit(), "org_a", VelocityKey::Customer, "cus_1", 0), 3) << "still attempts";
  EXPECT_EQ(repo_.failedSince(unit(), "org_b", VelocityKey::Customer, "cus_1", 0), 0)
      << "org_a's mark reached org_b's payment of the same id";
}

INSTANTIATE_TEST_SUITE_P(Backends, FraudStoreTest, ::testing::Values("sqlite", "postgresql"), backendName);

}  // namespace
}  // namespace ordersvc::testing
