#include <gtest/gtest.h>

#include "platform/http/card_data_guard.h"

namespace ordersvc::api {
namespace {

TEST(CardDataGuardTest, CardNumbersAloneOrGroupedAreFound) {
  for (const char* body : {R"({"x":"4242424242424242"})", R"({"x":"4242 4242 4242 4242"})",
                           R"({"x":"4111-1111-1111-1111"})", R"({"x":5555555555554444})",
                           R"({"note":"my card is 378282246310005 thanks"})",  // Amex, 15 digits
                           R"({"x":"6011111111111117"})"}) {
    const auto why = findCardData(body);
    ASSERT_TRUE(why.has_value()) << body;
    EXPECT_EQ(why->find("4242"), std::string::npos) << "never repeats the digits";
  }
}

TEST(CardDataGuardTest, CardFieldNamesAreFoundWhateverTheirCase) {
  for (const char* body : {R"({"cvv":"123"})", R"({"CVC":"123"})", R"({"card_number":"x"})", R"({"Pan":"x"})",
                           R"({"payment":{"security_code":"1"}})"}) {
    EXPECT_TRUE(findCardData(body).has_value()) << body;
  }
}

TEST(CardDataGuardTest, NumbersThatAreNotCardsPass) {
  for (const char* body : {R"({"amount":27263,"currency":"CLP"})",
                           R"({"x":"4242424242424241"})",      // fails Luhn
                           R"({"x":"424242424242"})",          // 12 digits
                           R"({"x":"42424242424242424242"})",  // 20 digits
                           R"({"phone":"+56 9 1234 5678"})", R"({"ids":[1234,5678,9012,3456]})",
                           R"({"payment_method_id":"pm_card_visa"})", R"({"capture":"cvvx"})"}) {
    EXPECT_FALSE(findCardData(body).has_value()) << body;
  }
}

}  // namespace
}  // namespace ordersvc::api
