#include "platform/plugins/secret_box.h"

#include <gtest/gtest.h>

namespace ordersvc::plugins {
namespace {

SecretBox box(char fill) {
  return SecretBox(*SecretBox::parseKey(std::string(64, fill)));
}

TEST(SecretBoxTest, SealsAndOpensWithTheSameKeyAndAssociatedData) {
  auto sealed = box('a').seal(R"({"api_key":"sk_live_123"})", "org_1:stripe");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->rfind("v1:", 0), 0u);
  EXPECT_EQ(sealed->find("sk_live_123"), std::string::npos);
  auto opened = box('a').open(*sealed, "org_1:stripe");
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(*opened, R"({"api_key":"sk_live_123"})");
}

TEST(SecretBoxTest, EverySealUsesAFreshNonce) {
  EXPECT_NE(*box('a').seal("same", "ad"), *box('a').seal("same", "ad"));
}

TEST(SecretBoxTest, WrongKeyTamperingOrOtherRowFailAuthentication) {
  const std::string sealed = *box('a').seal("secret", "org_1:stripe");
  EXPECT_EQ(box('b').open(sealed, "org_1:stripe").error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(box('a').open(sealed, "org_2:stripe").error().code, ErrorCode::PermissionDenied);
  std::string tampered = sealed;
  // A character well inside the base64 text: all its bits are data (near the end some
  // bits can be padding, and flipping those changes nothing).
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box('a').open(tampered, "org_1:stripe"));
  EXPECT_FALSE(box('a').open("plain text", "org_1:stripe"));
}

TEST(SecretBoxTest, KeyMustBe64HexDigits) {
  EXPECT_FALSE(SecretBox::parseKey("abc"));
  EXPECT_FALSE(SecretBox::parseKey(std::string(64, 'z')));
  EXPECT_TRUE(SecretBox::parseKey(std::string(64, 'F')));
}

}  // namespace
}  // namespace ordersvc::plugins
