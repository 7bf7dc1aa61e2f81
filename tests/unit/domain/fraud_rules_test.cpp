#include "domain/fraud_rules.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace ordersvc::domain {
namespace {

// Rules where only what a test sets can trigger: every threshold off, no country check.
FraudRules nothingTriggers() {
  FraudRules rules;
  for (VelocityKey key : kVelocityKeys) rules.velocityFor(key).limits = {};
  rules.countryMismatch = FraudOutcome::Allow;
  rules.failedOnOrder = {};
  rules.failedByCustomer.limits = {};
  return rules;
}

std::vector<std::string> codes(const FraudDecision& decision) {
  std::vector<std::string> out;
  for (const auto& reason : decision.reasons) out.push_back(reason.code);
  return out;
}

// Puts `value`, the signal one rule reads, at and just over each of the rule's limits and
// checks the verdict: allow at the review limit, review just over it and at the deny
// limit, deny just over that; each time the rule is the only reason.
void expectLimits(const FraudRules& rules, FraudSignals& signals, int64_t& value, int64_t review, int64_t deny,
                  const std::string& code) {
  const std::pair<int64_t, FraudOutcome> steps[] = {{review, FraudOutcome::Allow},
                                                    {review + 1, FraudOutcome::Review},
                                                    {deny, FraudOutcome::Review},
                                                    {deny + 1, FraudOutcome::Deny}};
  for (const auto& [at, outcome] : steps) {
    value = at;
    const FraudDecision decision = evaluate(rules, signals);
    EXPECT_EQ(decision.outcome, outcome) << code << " at " << at;
    if (outcome == FraudOutcome::Allow) {
      EXPECT_TRUE(decision.reasons.empty()) << code << " at " << at;
      continue;
    }
    ASSERT_EQ(codes(decision), std::vector<std::string>{code}) << code << " at " << at;
    EXPECT_EQ(decision.reasons[0].outcome, outcome) << code << " at " << at;
  }
}

TEST(FraudRulesTest, DefaultsAllowAnOrdinaryAttempt) {
  FraudSignals signals;
  signals.amountMinor = 19990;
  signals.currency = "CLP";
  for (VelocityKey key : kVelocityKeys) signals.attemptsFor(key) = 1;
  signals.billingCountry = "CL";
  signals.shippingCountry = "CL";
  const FraudDecision decision = evaluate(FraudRules{}, signals);
  EXPECT_EQ(decision.outcome, FraudOutcome::Allow);
  EXPECT_TRUE(decision.reasons.empty());
}

TEST(FraudRulesTest, EachVelocityRuleAloneAtAndJustOverItsLimits) {
  for (VelocityKey key : kVelocityKeys) {
    FraudRules rules = nothingTriggers();
    rules.velocityFor(key) = {10, {5, 8}};
    FraudSignals signals;
    expectLimits(rules, signals, signals.attemptsFor(key), 5, 8, "velocity." + std::string(velocityKeyName(key)));
  }
}
TEST(FraudRulesTest, VelocityMessageNamesWhoCountWindowAndTheLimitPassed) {
  FraudRules rules = nothingTriggers();
  rules.velocityFor(VelocityKey::Customer) = {10, {5, 8}};
  FraudSignals signals;
  signals.attemptsFor(VelocityKey::Customer) = 6;
  EXPECT_EQ(evaluate(rules, signals).reasons.at(0).message, "customer made 6 payment attempts in 10 minutes (limit 5)");
  signals.attemptsFor(VelocityKey::Customer) = 9;
  EXPECT_EQ(evaluate(rules, signals).reasons.at(0).message, "customer made 9 payment attempts in 10 minutes (limit 8)");
}
TEST(FraudRulesTest, AThresholdThatIsOffNeverTriggers) {
  FraudRules rules = nothingTriggers();
  rules.velocityFor(VelocityKey::Ip) = {60, {std::nullopt, 10}};
  FraudSignals signals;
  signals.attemptsFor(VelocityKey::Ip) = 10;
  EXPECT_EQ(evaluate(rules, signals).outcome, FraudOutcome::Allow);
  signals.attemptsFor(VelocityKey::Ip) = 11;
  EXPECT_EQ(evaluate(rules, signals).outcome, FraudOutcome::Deny);
  signals.attemptsFor(VelocityKey::Ip) = 1'000'000;
  rules.velocityFor(VelocityKey::Ip).limits = {};
  EXPECT_EQ(evaluate(rules, signals).outcome, FraudOutcome::Allow);
}

TEST(FraudRulesTest, AmountThresholdsArePerCurrencyInMinorUnits) {
  FraudRules rules = nothingTriggers();
  rules.amountThresholds["CLP"] = {500000, 2000000};
  rules.amountThresholds["USD"] = {50000, 200000};  // 500.00 and 2000.00 dollars
  FraudSignals signals;
  signals.currency = "CLP";
  expectLimits(rules, signals, signals.amountMinor, 500000, 2000000, "amount");
  signals.amountMinor = 500001;
  EXPECT_EQ(evaluate(rules, signals).reasons.at(0).message, "amount 500001 CLP is above 500000 CLP");

  // In cents: 500001 CLP would be far beyond the USD limits.
  signals.currency = "USD";
  expectLimits(rules, signals, signals.amountMinor, 50000, 200000, "amount");
  signals.amountMinor = 50001;
  EXPECT_EQ(evaluate(rules, signals).reasons.at(0).message, "amount 500.01 USD is above 500.00 USD");

  // A currency without thresholds has no amount rule.
  signals.currency = "EUR";
  signals.amountMinor = 1'000'000'000;
  EXPECT_EQ(evaluate(rules, signals).outcome, FraudOutcome::Allow);
}
TEST(FraudRulesTest, CountryMismatchLeadsToTheConfiguredOutcome) {
  FraudRules rules = nothingTriggers();
  FraudSignals signals;
  signals.billingCountry = "AR";
  signals.shippingCountry = "cl";
  EXPECT_EQ(evaluate(rules, signals).outcome, FraudOutcome::Allow) << "configured to allow";

  rules.countryMismatch = FraudOutcome::Review;
  FraudDecision decision = evaluate(rules, signals);
  EXPECT_EQ(decision.outcome, FraudOutcome::Review);
  ASSERT_EQ(codes(decision), std::vector<std::string>{"country_mismatch"});
  EXPECT_EQ(decision.reasons[0].message, "billing country AR differs from shipping country CL");

  rules.countryMismatch = FraudOutcome::Deny;
  EXPECT_EQ(evaluate(rules, signals).outcome, FraudOutcome::Deny);

  signals.billingCountry = "CL";  // case does not make a mismatch
  EXPECT_EQ(evaluate(rules, signals).outcome, FraudOutcome::Allow);
  signals.billingCountry = "";  // unknown: nothing to compare
  EXPECT_EQ(evaluate(rules, signals).outcome, FraudOutcome::Allow);
}

TEST(FraudRulesTest, FailedAttemptsOnTheOrderAtAndJustOverTheLimits) {
  FraudRules rules = nothingTriggers();
  rules.failedOnOrder = {2, 4};
  FraudSignals signals;
  expectLimits(rules, signals, signals.failedAttemptsOnOrder, 2, 4, "failed_attempts.order");
  signals.failedAttemptsOnOrder = 3;
  EXPECT_EQ(evaluate(rules, signals).reasons.at(0).message, "order has 3 failed payment attempts (limit 2)");
}
TEST(FraudRulesTest, FailedAttemptsOfTheCustomerAtAndJustOverTheLimits) {
  FraudRules rules = nothingTriggers();
  rules.failedByCustomer = {1440, {3, 6}};
  FraudSignals signals;
  expectLimits(rules, signals, signals.failedAttemptsByCustomer, 3, 6, "failed_attempts.customer");
  signals.failedAttemptsByCustomer = 4;
  EXPECT_EQ(evaluate(rules, signals).reasons.at(0).message,
            "customer had 4 failed payment attempts in 1440 minutes (limit 3)");
}
TEST(FraudRulesTest, TheStrictestRuleWinsAndEveryTriggeredRuleIsAReason) {
  FraudRules rules;  // defaults: email review above 5, country mismatch review
  rules.amountThresholds["CLP"] = {100000, 300000};
  FraudSignals signals;
  signals.currency = "CLP";
  signals.amountMinor = 300001;                 // deny
  signals.attemptsFor(VelocityKey::Email) = 6;  // review
  signals.billingCountry = "PE";
  signals.shippingCountry = "CL";  // review
  FraudDecision decision = evaluate(rules, signals);
  EXPECT_EQ(decision.outcome, FraudOutcome::Deny);
  EXPECT_EQ(codes(decision), (std::vector<std::string>{"velocity.email", "amount", "country_mismatch"}));
  EXPECT_EQ(decision.reasons[0].outcome, FraudOutcome::Review);
  EXPECT_EQ(decision.reasons[1].outcome, FraudOutcome::Deny);

  // Review beats allow: without the amount, the two reviews decide.
  signals.amountMinor = 100;
  decision = evaluate(rules, signals);
  EXPECT_EQ(decision.outcome, FraudOutcome::Review);
  EXPECT_EQ(codes(decision), (std::vector<std::string>{"velocity.email", "country_mismatch"}));
}

TEST(FraudRulesTest, DisabledRulesAllowEverythingWithoutReasons) {
  FraudRules rules;
  rules.amountThresholds["CLP"] = {1, 2};
  rules.countryMismatch = FraudOutcome::Deny;
  rules.enabled = false;
  FraudSignals signals;
  signals.currency = "CLP";
  signals.amountMinor = 1'000'000;
  for (VelocityKey key : kVelocityKeys) signals.attemptsFor(key) = 1000;
  signals.billingCountry = "AR";
  signals.shippingCountry = "CL";
  signals.failedAttemptsOnOrder = 100;
  signals.failedAttemptsByCustomer = 100;
  const FraudDecision decision = evaluate(rules, signals);
  EXPECT_EQ(decision.outcome, FraudOutcome::Allow);
  EXPECT_TRUE(decision.reasons.empty());
  rules.enabled = true;
  EXPECT_EQ(evaluate(rules, signals).outcome, FraudOutcome::Deny) << "the same signals with the rules on";
}

TEST(FraudRulesTest, OutcomeNamesRoundTrip) {
  for (FraudOutcome outcome : {FraudOutcome::Allow, FraudOutcome::Review, FraudOutcome::Deny}) {
    EXPECT_EQ(parseFraudOutcome(fraudOutcomeName(outcome)), outcome);
  }
  EXPECT_FALSE(parseFraudOutcome("Deny"));
  EXPECT_FALSE(parseFraudOutcome(""));
}

// --- JSON ---

FieldProblems problemsOf(const std::string& text) {
  FieldProblems problems;
  EXPECT_FALSE(readFraudRules(Poco::JSON::Parser().parse(text), "rules", problems)) << text;
  return problems;
}

TEST(FraudRulesJsonTest, TheWrittenDocumentReadsBackAsTheSameRules) {
  FraudRules rules;
  rules.enabled = false;
  rules.velocityFor(VelocityKey::Card) = {30, {std::nullopt, 3}};
  rules.amountThresholds["USD"] = {50000, std::nullopt};
  rules.countryMismatch = FraudOutcome::Deny;
  rules.failedOnOrder = {1, 2};
  rules.failedByCustomer = {120, {4, 9}};
  const std::string text = fraudRulesText(rules);
  auto back = parseFraudRules(text);
  ASSERT_TRUE(back) << back.error().detailsJson;
  EXPECT_EQ(fraudRulesText(*back), text);
  EXPECT_FALSE(back->enabled);
  EXPECT_EQ(back->velocityFor(VelocityKey::Card).windowMinutes, 30);
  EXPECT_FALSE(back->velocityFor(VelocityKey::Card).limits.reviewAbove);
  EXPECT_EQ(back->velocityFor(VelocityKey::Card).limits.denyAbove, 3);
  EXPECT_EQ(back->amountThresholds.at("USD").reviewAbove, 50000);
  EXPECT_FALSE(back->amountThresholds.at("USD").denyAbove);
  EXPECT_EQ(back->countryMismatch, FraudOutcome::Deny);
  EXPECT_EQ(back->failedByCustomer.windowMinutes, 120);
  EXPECT_NE(text.find("\"deny_above\":null"), std::string::npos) << text;
}

TEST(FraudRulesJsonTest, FieldsLeftOutKeepTheirDefaults) {
  auto rules =
      parseFraudRules(R"({"velocity":{"ip":{"review_above":15}},"amount_thresholds":{"CLP":{"deny_above":900}}})");
  ASSERT_TRUE(rules) << rules.error().detailsJson;
  const FraudRules defaults;
  EXPECT_TRUE(rules->enabled);
  EXPECT_EQ(rules->velocityFor(VelocityKey::Ip).limits.reviewAbove, 15);
  EXPECT_EQ(rules->velocityFor(VelocityKey::Ip).limits.denyAbove,
            defaults.velocityFor(VelocityKey::Ip).limits.denyAbove);
  EXPECT_EQ(rules->velocityFor(VelocityKey::Ip).windowMinutes, defaults.velocityFor(VelocityKey::Ip).windowMinutes);
  EXPECT_EQ(fraudRulesText(*parseFraudRules("{}")), fraudRulesText(defaults));
  // A currency entry has no defaults of its own: what it leaves out is off.
  EXPECT_FALSE(rules->amountThresholds.at("CLP").reviewAbove);
  EXPECT_EQ(rules->amountThresholds.at("CLP").denyAbove, 900);
}

TEST(FraudRulesJsonTest, UnknownFieldsAreNamedByTheirPath) {
  EXPECT_EQ(problemsOf(R"({"velocity":{"customer":{"window":5},"phone":{}},"extra":1})"),
            (FieldProblems{{"rules.velocity.customer.window", "is not a known field"},
                           {"rules.velocity.phone", "is not a known field"},
                           {"rules.extra", "is not a known field"}}));
}

TEST(FraudRulesJsonTest, WrongTypesAreNamedByTheirPath) {
  EXPECT_EQ(problemsOf(
                R"({"enabled":"yes","velocity":{"email":{"window_minutes":"10","review_above":true,"deny_above":2.5}},)"
                R"("failed_attempts":{"order":[]},"country_mismatch":"block","amount_thresholds":[]})"),
            (FieldProblems{{"rules.enabled", "must be true or false"},
                           {"rules.velocity.email.window_minutes", "must be an integer"},
                           {"rules.velocity.email.review_above", "must be an integer or null"},
                           {"rules.velocity.email.deny_above", "must be an integer or null"},
                           {"rules.failed_attempts.order", "must be an object"},
                           {"rules.country_mismatch", "must be one of allow, review, deny"},
                           {"rules.amount_thresholds", "must be an object"}}));
}

TEST(FraudRulesJsonTest, ValuesOutOfRangeAreRefused) {
  EXPECT_EQ(
      problemsOf(
          R"({"velocity":{"card":{"window_minutes":0},"ip":{"review_above":-1},"email":{"window_minutes":null}},)"
          R"("failed_attempts":{"customer":{"review_above":5,"deny_above":4}},)"
          R"("amount_thresholds":{"usd":{"review_above":1},"CLP":{"deny_above":18446744073709551615}}})"),
      (FieldProblems{{"rules.velocity.card.window_minutes", "must be between 1 and 43200"},
                     {"rules.velocity.ip.review_above", "must be between 0 and 1000000"},
                     {"rules.velocity.email.window_minutes", "must be an integer"},
                     {"rules.failed_attempts.customer.deny_above", "is 4, below review_above 5"},
                     {"rules.amount_thresholds.usd", "is not an ISO 4217 currency code (three upper-case letters)"},
                     {"rules.amount_thresholds.CLP.deny_above", "must be between 0 and 1000000000000000"}}));
  // A review limit above the default deny limit is refused too, naming the deny limit.
  EXPECT_EQ(problemsOf(R"({"velocity":{"ip":{"review_above":50}}})").at("rules.velocity.ip.deny_above"),
            "is 20, below review_above 50");
}

TEST(FraudRulesJsonTest, NotAnObjectAndNotJsonAreInvalidArgument) {
  EXPECT_EQ(problemsOf("[1]").at("rules"), "must be an object");
  auto notJson = parseFraudRules("{\"enabled\":");
  ASSERT_FALSE(notJson);
  EXPECT_EQ(notJson.error().code, ErrorCode::InvalidArgument);
  auto bad = parseFraudRules(R"({"enabled":1})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(bad.error().detailsJson, R"({"fields":{"enabled":"must be true or false"}})");
}

}  // namespace
}  // namespace ordersvc::domain
