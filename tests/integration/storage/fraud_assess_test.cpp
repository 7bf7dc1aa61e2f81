// services::FraudService::assess against SQLite and the real PostgreSQL: the rules it
// loads, the counts it takes, the row it records, all on the caller's connection.
#include "modules/fraud/fraud_service.h"

#include <gtest/gtest.h>

#include "fraud_fixture.h"
#include "modules/fraud/sql_fraud_repository.h"

namespace ordersvc::testing {
namespace {

using domain::FraudOutcome;
using domain::VelocityKey;

class FraudAssessTest : public FraudBackendTest {
 protected:
  void SetUp() override {
    FraudBackendTest::SetUp();
    units_ = std::make_unique<storage::SqlUnitsOfWork>(*database_);
    service_ = std::make_unique<services::FraudService>(*units_, repo_, [] { return kNow; });
  }

  // Rules where only what a test sets can trigger.
  static domain::FraudRules quietRules() {
    domain::FraudRules rules;
    for (VelocityKey key : domain::kVelocityKeys) rules.velocityFor(key).limits = {};
    rules.countryMismatch = FraudOutcome::Allow;
    rules.failedOnOrder = {};
    rules.failedByCustomer.limits = {};
    return rules;
  }

  void save(const std::string& org, const domain::FraudRules& rules) {
    const int64_t version = repo_.loadRules(unit(), org).version;
    ASSERT_TRUE(repo_.saveRules(unit(), org, rules, version, kNow));
  }

  static services::FraudInput attempt(const std::string& paymentId) {
    services::FraudInput in;
    in.paymentId = paymentId;
    in.orderId = "ord_1";
    in.customerId = "cus_1";
    in.email = "ana@example.com";
    in.ip = "203.0.113.7";
    in.cardFingerprint = "fp_visa_4242";
    in.amountMinor = 19990;
    in.currency = "CLP";
    in.billingCountry = "CL";
    in.shippingCountry = "CL";
    return in;
  }

  domain::FraudDecision assess(const std::string& org, const services::FraudInput& in, int64_t at) {
    auto decision = service_->assess(unit(), org, in, at);
    if (!decision) throw std::runtime_error(decision.error().toString());
    return *decision;
  }

  std::unique_ptr<storage::SqlUnitsOfWork> units_;
  std::unique_ptr<services::FraudService> service_;
};

TEST_P(FraudAssessTest, CountsIncludeThisAttemptWithinTheRulesOwnWindow) {
  domain::FraudRules rules = quietRules();
  rules.velocityFor(VelocityKey::Customer) = {10, {2, 4}};
  save("org_a", rules);
  EXPECT_EQ(assess("org_a", attempt("pay_1"), kNow).outcome, FraudOutcome::Allow);
  EXPECT_EQ(assess("org_a", attempt("pay_2"), kNow + 1 * kMinute).outcome, FraudOutcome::Allow);
  const auto third = assess("org_a", attempt("pay_3"), kNow + 2 * kMinute);
  EXPECT_EQ(third.outcome, FraudOutcome::Review);
  ASSERT_EQ(third.reasons.size(), 1u);
  EXPECT_EQ(third.reasons[0].code, "velocity.customer");
  EXPECT_EQ(third.reasons[0].message, "customer made 3 payment attempts in 10 minutes (limit 2)");
  // Ten minutes after the first attempt it has left the window: pay_2, pay_3 and this one.
  EXPECT_EQ(assess("org_a", attempt("pay_4"), kNow + 10 * kMinute + 1).reasons[0].message,
            "customer made 3 payment attempts in 10 minutes (limit 2)");
  EXPECT_EQ(assess("org_a", attempt("pay_5"), kNow + 10 * kMinute + 2).outcome, FraudOutcome::Review);
  EXPECT_EQ(assess("org_a", attempt("pay_6"), kNow + 10 * kMinute + 3).outcome, FraudOutcome::Deny) << "5 > 4";
}

TEST_P(FraudAssessTest, EachAttemptIsRecordedWithItsOutcome) {
  domain::FraudRules rules = quietRules();
  rules.amountThresholds["CLP"] = {10000, 50000};
  save("org_a", rules);
  auto big = attempt("pay_big");
  big.amountMinor = 60000;
  EXPECT_EQ(assess("org_a", big, kNow).outcome, FraudOutcome::Deny);
  auto medium = attempt("pay_medium");
  medium.amountMinor = 20000;
  EXPECT_EQ(assess("org_a", medium, kNow).outcome, FraudOutcome::Review);
  EXPECT_EQ(signalColumn("org_a", "pay_big", "outcome"), "deny");
  EXPECT_EQ(signalColumn("org_a", "pay_medium", "outcome"), "review");
  EXPECT_EQ(signalColumn("org_a", "pay_big", "order_id"), "ord_1");
  EXPECT_EQ(signalColumn("org_a", "pay_big", "email_hash"), services::emailHash("ana@example.com"));
  EXPECT_EQ(signalColumn("org_a", "pay_big", "card_fingerprint"), "fp_visa_4242");
  EXPECT_EQ(signalColumn("org_a", "pay_big", "ip"), "203.0.113.7");
  // Denied attempts are attempts too: both count for the card.
  EXPECT_EQ(repo_.countSince(unit(), "org_a", VelocityKey::Card, "fp_visa_4242", 0), 2);
}

TEST_P(FraudAssessTest, EveryKeyIsCountedOnItsOwn) {
  domain::FraudRules rules = quietRules();
  for (VelocityKey key : domain::kVelocityKeys) rules.velocityFor(key) = {60, {1, std::nullopt}};
  save("org_a", rules);
  assess("org_a", attempt("pay_1"), kNow);
  // A second attempt that shares only one key with the first trips only that key's rule.
  auto fresh = [](const std::string& id) {
    services::FraudInput in = attempt(id);
    in.customerId = "cus_" + id;
    in.email = id + "@example.com";
    in.ip = "ip_" + id;
    in.cardFingerprint = "fp_" + id;
    return in;
  };
  auto sameCustomer = fresh("pay_c");
  sameCustomer.customerId = "cus_1";
  auto sameEmail = fresh("pay_e");
  sameEmail.email = "ANA@example.com";
  auto sameIp = fresh("pay_ip");
  sameIp.ip = "203.0.113.7";
  auto sameCard = fresh("pay_card");
  sameCard.cardFingerprint = "fp_visa_4242";
  const std::pair<services::FraudInput, std::string> cases[] = {{sameCustomer, "velocity.customer"},
                                                                {sameEmail, "velocity.email"},
                                                                {sameIp, "velocity.ip"},
                                                                {sameCard, "velocity.card"}};
  for (const auto& [input, code] : cases) {
    const auto decision = assess("org_a", input, kNow);
    EXPECT_EQ(decision.outcome, FraudOutcome::Review) << code;
    ASSERT_EQ(decision.reasons.size(), 1u) << code;
    EXPECT_EQ(decision.reasons[0].code, code);
  }
}

TEST_P(FraudAssessTest, GuestsAreNeverCountedTogether) {
  domain::FraudRules rules = quietRules();
  rules.velocityFor(VelocityKey::Customer) = {60, {0, std::nullopt}};  // every known customer is reviewed
  rules.velocityFor(VelocityKey::Email) = {60, {1, std::nullopt}};
  save("org_a", rules);
  for (const char* id : {"pay_1", "pay_2", "pay_3"}) {
    auto guest = attempt(id);
    guest.customerId = std::string();  // a guest: empty, not a shared key
    guest.email.reset();
    EXPECT_EQ(assess("org_a", guest, kNow).outcome, FraudOutcome::Allow) << id;
  }
  EXPECT_EQ(signalColumn("org_a", "pay_1", "customer_id"), "");
  EXPECT_EQ(assess("org_a", attempt("pay_4"), kNow).reasons[0].code, "velocity.customer");
}

TEST_P(FraudAssessTest, FailedAttemptsOfTheCustomerCountOnceMarked) {
  domain::FraudRules rules = quietRules();
  rules.failedByCustomer = {60, {1, 3}};
  save("org_a", rules);
  assess("org_a", attempt("pay_1"), kNow);
  assess("org_a", attempt("pay_2"), kNow);
  EXPECT_EQ(assess("org_a", attempt("pay_3"), kNow).outcome, FraudOutcome::Allow) << "nothing failed yet";
  ASSERT_TRUE(repo_.markFailed(unit(), "org_a", "pay_1"));
  ASSERT_TRUE(repo_.markFailed(unit(), "org_a", "pay_2"));
  const auto decision = assess("org_a", attempt("pay_4"), kNow);
  EXPECT_EQ(decision.outcome, FraudOutcome::Review);
  ASSERT_EQ(decision.reasons.size(), 1u);
  EXPECT_EQ(decision.reasons[0].code, "failed_attempts.customer");
  EXPECT_EQ(decision.reasons[0].message, "customer had 2 failed payment attempts in 60 minutes (limit 1)");
  // Failures on this order come from the caller (the order's own count).
  auto onOrder = attempt("pay_5");
  onOrder.customerId = "cus_other";
  onOrder.failedAttemptsOnOrder = 3;
  rules.failedOnOrder = {2, std::nullopt};
  save("org_a", rules);
  EXPECT_EQ(assess("org_a", onOrder, kNow).reasons.at(0).code, "failed_attempts.order");
}

TEST_P(FraudAssessTest, DisabledRulesAllowButStillRecordSoCountsAreRightWhenEnabled) {
  domain::FraudRules rules = quietRules();
  rules.velocityFor(VelocityKey::Card) = {60, {2, std::nullopt}};
  rules.enabled = false;
  save("org_a", rules);
  for (const char* id : {"pay_1", "pay_2", "pay_3"}) {
    const auto decision = assess("org_a", attempt(id), kNow);
    EXPECT_EQ(decision.outcome, FraudOutcome::Allow) << id;
    EXPECT_TRUE(decision.reasons.empty()) << id;
  }
  EXPECT_EQ(signalColumn("org_a", "pay_3", "outcome"), "allow");
  rules.enabled = true;
  save("org_a", rules);
  EXPECT_EQ(assess("org_a", attempt("pay_4"), kNow).reasons.at(0).message,
            "card was used for 4 payment attempts in 60 minutes (limit 2)");
}

TEST_P(FraudAssessTest, OrganizationsShareNeitherRulesNorCounts) {
  domain::FraudRules strict = quietRules();
  strict.velocityFor(VelocityKey::Customer) = {60, {1, 2}};
  save("org_a", strict);
  for (const char* id : {"pay_1", "pay_2", "pay_3"}) assess("org_b", attempt(id), kNow);
  // org_b's three attempts with the same keys do not count in org_a ...
  EXPECT_EQ(assess("org_a", attempt("pay_1"), kNow).outcome, FraudOutcome::Allow);
  // ... and org_b runs on the defaults (customer review above 5), not org_a's rules.
  EXPECT_EQ(assess("org_b", attempt("pay_4"), kNow).outcome, FraudOutcome::Allow);
  EXPECT_EQ(repo_.countSince(unit(), "org_b", VelocityKey::Customer, "cus_1", 0), 4);
}

TEST_P(FraudAssessTest, RunsInTheCallersTransaction) {
  {
    storage::Transaction tx(c());
    EXPECT_EQ(assess("org_a", attempt("pay_1"), kNow).outcome, FraudOutcome::Allow);
    EXPECT_EQ(signalColumn("org_a", "pay_1", "outcome"), "allow");
    // Not committed: the caller's payment failed for another reason.
  }
  EXPECT_EQ(signalColumn("org_a", "pay_1", "outcome"), "<none>");
  EXPECT_EQ(repo_.countSince(unit(), "org_a", VelocityKey::Customer, "cus_1", 0), 0);
}

TEST_P(FraudAssessTest, ReplacingRulesIsForManagersAndChecksTheVersion) {
  services::Actor manager{"org_a", "mia", true, true, std::nullopt, ""};
  services::Actor operatorA{"org_a", "oli", true, false, std::nullopt, ""};
  EXPECT_EQ(service_->rules(operatorA).error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(service_->replaceRules(operatorA, domain::FraudRules{}, 0).error().code, ErrorCode::PermissionDenied);
  auto first = service_->replaceRules(manager, quietRules(), 0);
  ASSERT_TRUE(first) << first.error().toString();
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->updatedAtMs, kNow);
  auto stale = service_->replaceRules(manager, domain::FraudRules{}, 0);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::Conflict);
  EXPECT_EQ(stale.error().message, "fraud rules are at version 1, not 0; read them again and retry");
  EXPECT_EQ(domain::fraudRulesText(service_->rules(manager)->rules), domain::fraudRulesText(quietRules()));
}

INSTANTIATE_TEST_SUITE_P(Backends, FraudAssessTest, ::testing::Values("sqlite", "postgresql"), backendName);

}  // namespace
}  // namespace ordersvc::testing
