// The pos-card plugin (plugins/payments/pos-card) loaded through the real registry and
// host services. It reaches no network: these tests follow one card-present payment
// through its life (sale or authorization, captures, voids, refunds, sync) with the
// provider_data each result hands back, and prove that nothing shaped like a card number
// gets past it.
#include <gtest/gtest.h>

#include <sstream>

#include "payment_result_check.h"
#include "provider_plugin_fixture.h"

namespace ordersvc::testing {
namespace {

using Poco::JSON::Object;

constexpr const char* kCardNumber = "4111111111111111";

std::string chargeRequest(const std::string& token = "a1b2c3",
                          const std::string& metadata = R"({"terminal_id":"T-01","card_last4":"4242"})",
                          int64_t amount = 10000) {
  return R"({"payment_id":"pay_1","order_id":"ord_1","amount":{"value":)" + std::to_string(amount) +
         R"(,"currency":"CLP"},"payment_method":{"type":"card","token":")" + token + R"("},"metadata":)" + metadata +
         "}";
}

std::string text(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

std::string str(const Object::Ptr& object, const std::string& key) {
  return object->getValue<std::string>(key);
}
int64_t value(const Object::Ptr& object, const std::string& key) {
  return object->getObject(key)->getValue<int64_t>("value");
}

class PosCardPluginTest : public ProviderPluginTest {
 protected:
  void SetUp() override {
    ProviderPluginTest::SetUp();
    const Status activated = activate("pos-card", "{}", "");
    ASSERT_TRUE(activated) << activated.error().message;
  }

  Object::Ptr ok(const std::string& operation, const std::string& request, const std::string& key = "idem-1") {
    return expectPaymentCall(call(operation, request, key), operation);
  }

  std::string refused(const std::string& operation, const std::string& request, const std::string& key = "idem-1") {
    auto result = call(operation, request, key);
    if (result) {
      ADD_FAILURE() << operation << " answered " << result->json;
      return "";
    }
    EXPECT_NE(result.error().message.find("[invalid_argument]"), std::string::npos) << result.error().message;
    return result.error().message;
  }

  std::string captureRequest(const Object::Ptr& authorization, int64_t amount, int64_t captured,
                             const std::string& finalCapture = "") {
    return R"({"payment_id":"pay_1","amount":{"value":)" + std::to_string(amount) +
           R"(,"currency":"CLP"},"authorized_amount":{"value":10000,"currency":"CLP"},"captured_amount":{"value":)" +
           std::to_string(captured) + R"(,"currency":"CLP"},)" + finalCapture + R"("provider_reference":")" +
           str(authorization, "provider_reference") + R"(","provider_data":)" +
           text(authorization->getObject("provider_data")) + "}";
  }

  std::string voidRequest(const Object::Ptr& payment) {
    return R"({"payment_id":"pay_1","provider_reference":")" + str(payment, "provider_reference") +
           R"(","provider_data":)" + text(payment->getObject("provider_data")) + "}";
  }

  std::string refundRequest(const Object::Ptr& payment, int64_t amount, int64_t captured, int64_t refunded,
                            const std::string& reason = "damaged") {
    return R"({"payment_id":"pay_1","refund_id":"ref_1","amount":{"value":)" + std::to_string(amount) +
           R"(,"currency":"CLP"},"captured_amount":{"value":)" + std::to_string(captured) +
           R"(,"currency":"CLP"},"refunded_amount":{"value":)" + std::to_string(refunded) +
           R"(,"currency":"CLP"},"reason":")" + reason + R"(","provider_reference":")" +
           str(payment, "provider_reference") + R"(","provider_data":)" + text(payment->getObject("provider_data")) +
           "}";
  }

  std::string syncRequest(const Object::Ptr& result, const std::string& refundId = "") {
    return R"({"payment_id":"pay_1",)" + (refundId.empty() ? "" : R"("refund_id":")" + refundId + R"(",)") +
           R"("provider_reference":")" + str(result, "provider_reference") + R"(","provider_data":)" +
           text(result->getObject("provider_data")) + "}";
  }
};

TEST_F(PosCardPluginTest, ASaleRecordsTheTerminalsAuthorizationAsCaptured) {
  const Object::Ptr sale = ok("payment.sale", chargeRequest(), "idem-sale");
  EXPECT_EQ(str(sale, "status"), "succeeded");
  EXPECT_EQ(value(sale, "amount"), 10000);
  EXPECT_EQ(str(sale, "provider_reference").rfind("pos_T-01_A1B2C3_", 0), 0u) << str(sale, "provider_reference");
  const Object::Ptr data = sale->getObject("provider_data");
  EXPECT_EQ(str(data, "kind"), "card_present");
  EXPECT_EQ(str(data, "state"), "captured");
  EXPECT_EQ(str(data, "authorization_code"), "A1B2C3");
  EXPECT_EQ(str(data, "terminal_id"), "T-01");
  EXPECT_EQ(str(data, "card_last4"), "4242");
  EXPECT_EQ(value(data, "captured_amount"), 10000);

  // One reference per logical sale: a retry gets the same, another sale another.
  EXPECT_EQ(str(ok("payment.sale", chargeRequest(), "idem-sale"), "provider_reference"),
            str(sale, "provider_reference"));
  EXPECT_NE(str(ok("payment.sale", chargeRequest(), "idem-other"), "provider_reference"),
            str(sale, "provider_reference"));
  EXPECT_EQ(str(ok("payment.sync", syncRequest(sale)), "status"), "succeeded");
}

TEST_F(PosCardPluginTest, AnAuthorizationIsCapturedInPartsAndItsRestVoided) {
  const Object::Ptr authorization = ok("payment.authorize", chargeRequest());
  EXPECT_EQ(str(authorization->getObject("provider_data"), "state"), "authorized");
  EXPECT_EQ(value(authorization->getObject("provider_data"), "captured_amount"), 0);
  const Object::Ptr synced = ok("payment.sync", syncRequest(authorization));
  EXPECT_EQ(str(synced, "status"), "succeeded");
  EXPECT_EQ(value(synced, "amount"), 10000);

  const Object::Ptr first = ok("payment.capture", captureRequest(authorization, 4000, 0, R"("final_capture":false,)"));
  EXPECT_EQ(str(first, "status"), "succeeded");
  EXPECT_EQ(value(first, "amount"), 4000);
  EXPECT_EQ(str(first, "provider_reference"), str(authorization, "provider_reference"));
  EXPECT_EQ(str(first->getObject("provider_data"), "state"), "partially_captured");
  EXPECT_EQ(value(first->getObject("provider_data"), "captured_amount"), 4000);

  const std::string tooMuch =
      refused("payment.capture", captureRequest(first, 7000, 4000, R"("final_capture":false,)"));
  EXPECT_NE(tooMuch.find("capture.exceeds_authorized"), std::string::npos) << tooMuch;

  const Object::Ptr rest = ok("payment.void", voidRequest(first));
  EXPECT_EQ(str(rest, "status"), "succeeded");
  EXPECT_EQ(value(rest, "amount"), 6000);  // released: what was not captured
  EXPECT_EQ(str(rest->getObject("provider_data"), "state"), "captured");
  EXPECT_EQ(value(ok("payment.sync", syncRequest(rest)), "amount"), 4000);

  const Object::Ptr refund = ok("payment.refund", refundRequest(rest, 4000, 4000, 0), "idem-refund");
  EXPECT_EQ(str(refund, "status"), "succeeded");
  EXPECT_EQ(str(refund, "provider_reference"), "pos_refund_idem-refund");
}

TEST_F(PosCardPluginTest, AFinalCaptureClosesTheAuthorization) {
  const Object::Ptr authorization = ok("payment.authorize", chargeRequest());
  const Object::Ptr captured = ok("payment.capture", captureRequest(authorization, 2500, 0));
  EXPECT_EQ(str(captured->getObject("provider_data"), "state"), "captured");  // final_capture defaults to true
  const Object::Ptr again = ok("payment.capture", captureRequest(captured, 1000, 2500));
  EXPECT_EQ(str(again, "status"), "declined");
  EXPECT_EQ(str(again->getObject("gateway_error"), "code"), "already_captured");
}

TEST_F(PosCardPluginTest, VoidingIsForAuthorizationsOnly) {
  const Object::Ptr sale = ok("payment.sale", chargeRequest());
  const Object::Ptr voidSale = ok("payment.void", voidRequest(sale));
  EXPECT_EQ(str(voidSale, "status"), "declined");
  EXPECT_EQ(str(voidSale->getObject("gateway_error"), "code"), "already_captured");

  const Object::Ptr authorization = ok("payment.authorize", chargeRequest());
  const Object::Ptr voided = ok("payment.void", voidRequest(authorization));
  EXPECT_EQ(str(voided, "status"), "succeeded");
  EXPECT_EQ(value(voided, "amount"), 10000);
  EXPECT_EQ(str(voided->getObject("provider_data"), "state"), "voided");
  EXPECT_EQ(str(ok("payment.void", voidRequest(voided)), "status"), "succeeded");  // a retry answers the same

  const Object::Ptr capture = ok("payment.capture", captureRequest(voided, 1000, 0));
  EXPECT_EQ(str(capture->getObject("gateway_error"), "code"), "authorization_voided");
  const Object::Ptr synced = ok("payment.sync", syncRequest(voided));
  EXPECT_EQ(str(synced, "status"), "declined");
  EXPECT_EQ(str(synced->getObject("gateway_error"), "code"), "authorization_voided");
  const Object::Ptr refund = ok("payment.refund", refundRequest(voided, 1000, 1, 0));
  EXPECT_EQ(str(refund, "status"), "declined");
  EXPECT_EQ(str(refund->getObject("gateway_error"), "code"), "not_captured");
}

TEST_F(PosCardPluginTest, RefundsStopAtWhatWasCaptured) {
  const Object::Ptr sale = ok("payment.sale", chargeRequest("123456", R"({})", 5000));
  const Object::Ptr first = ok("payment.refund", refundRequest(sale, 3000, 5000, 0));
  EXPECT_EQ(str(first, "status"), "succeeded");
  EXPECT_EQ(value(first, "amount"), 3000);
  EXPECT_EQ(str(first->getObject("provider_data"), "kind"), "card_present_refund");

  const Object::Ptr beyond = ok("payment.refund", refundRequest(sale, 2500, 5000, 3000), "idem-2");
  EXPECT_EQ(str(beyond, "status"), "declined");
  EXPECT_EQ(str(beyond->getObject("gateway_error"), "code"), "refund_exceeds_captured");
  const Object::Ptr rest = ok("payment.refund", refundRequest(sale, 2000, 5000, 3000), "idem-3");
  EXPECT_EQ(str(rest, "status"), "succeeded");

  const Object::Ptr synced = ok("payment.sync", syncRequest(first, "ref_1"));
  EXPECT_EQ(str(synced, "status"), "succeeded");
  EXPECT_EQ(value(synced, "amount"), 3000);
  EXPECT_EQ(str(ok("payment.sync", syncRequest(beyond, "ref_1")), "status"), "declined");
}

TEST_F(PosCardPluginTest, AnythingShapedLikeACardNumberIsRefusedWithoutRepeatingIt) {
  const std::string asToken = refused("payment.sale", chargeRequest(kCardNumber));
  EXPECT_NE(asToken.find("request.card_number"), std::string::npos) << asToken;
  EXPECT_NE(asToken.find("card numbers must never reach the service"), std::string::npos) << asToken;
  EXPECT_NE(asToken.find("/payment_method/token"), std::string::npos) << asToken;
  EXPECT_EQ(asToken.find(kCardNumber), std::string::npos) << "the refusal repeats the number";

  for (const char* note : {"card 4111 1111 1111 1111", "4111-1111-1111-1111", "pan=5555555555554444 exp 12/29",
                           "4111 1111 1111 1111 1229", "378282246310005"}) {
    const std::string inMetadata =
        refused("payment.authorize",
                chargeRequest("A1B2C3", std::string(R"({"terminal_id":"T-01","note":")") + note + R"("})"));
    EXPECT_NE(inMetadata.find("/metadata/note"), std::string::npos) << note << ": " << inMetadata;
  }
  const std::string inName = refused(
      "payment.sale",
      R"({"payment_id":"pay_1","amount":{"value":100,"currency":"CLP"},"payment_method":{"type":"card","token":"A1B2C3"},)"
      R"("customer":{"name":"Ana 4111111111111111"}})");
  EXPECT_NE(inName.find("/customer/name"), std::string::npos) << inName;

  const Object::Ptr sale = ok("payment.sale", chargeRequest());
  const std::string inReason =
      refused("payment.refund", refundRequest(sale, 100, 10000, 0, "card was 4111111111111111"));
  EXPECT_NE(inReason.find("/reason"), std::string::npos) << inReason;

  // Shorter digit runs, and the host's own ids, are not card numbers.
  const Object::Ptr fine = ok(
      "payment.sale",
      R"({"payment_id":"pay_1718000000000123","amount":{"value":100,"currency":"CLP"},)"
      R"("payment_method":{"type":"card","token":"A1B2C3"},"metadata":{"card_last4":"1111","phone":"+56 9 1234 5678"}})");
  EXPECT_EQ(str(fine, "status"), "succeeded");
}

TEST_F(PosCardPluginTest, TheAuthorizationCodeAndCardDigitsAreChecked) {
  for (const char* token : {"", "AB1", "ABC-12", "ABCDEFGHJKLMN"}) {
    const std::string message = refused("payment.sale", chargeRequest(token));
    EXPECT_NE(message.find("/payment_method/token"), std::string::npos) << token << ": " << message;
  }
  const std::string last5 = refused("payment.sale", chargeRequest("A1B2C3", R"({"card_last4":"42424"})"));
  EXPECT_NE(last5.find("/metadata/card_last4"), std::string::npos) << last5;
  const std::string cash = refused(
      "payment.sale",
      R"({"payment_id":"pay_1","amount":{"value":100,"currency":"CLP"},"payment_method":{"type":"cash","token":"A1B2C3"}})");
  EXPECT_NE(cash.find("/payment_method/type"), std::string::npos) << cash;
  const std::string noMethod =
      refused("payment.sale", R"({"payment_id":"pay_1","amount":{"value":100,"currency":"CLP"}})");
  EXPECT_NE(noMethod.find("/payment_method/token"), std::string::npos) << noMethod;
  const std::string foreign = refused(
      "payment.capture",
      R"({"payment_id":"pay_1","amount":{"value":1,"currency":"CLP"},"authorized_amount":{"value":1,"currency":"CLP"},)"
      R"("provider_reference":"cash_x","provider_data":{"kind":"sale","state":"succeeded"}})");
  EXPECT_NE(foreign.find("pos-card"), std::string::npos) << foreign;
}

TEST_F(PosCardPluginTest, AnInstanceCanRequireTheTerminal) {
  const Status activated = activate("pos-card", R"({"require_terminal_id":true})", "", "inst_terminal");
  ASSERT_TRUE(activated) << activated.error().message;
  auto without = call("payment.sale", chargeRequest("A1B2C3", R"({})"), "idem-1", "inst_terminal");
  ASSERT_FALSE(without);
  EXPECT_NE(without.error().message.find("/metadata/terminal_id"), std::string::npos) << without.error().message;
  EXPECT_TRUE(call("payment.sale", chargeRequest(), "idem-1", "inst_terminal"));
  EXPECT_FALSE(activate("pos-card", R"({"require_terminal_id":"yes"})", "", "inst_bad"));
}

}  // namespace
}  // namespace ordersvc::testing
