#include "domain/organization.h"

#include <gtest/gtest.h>

namespace ordersvc::domain {
namespace {

OrganizationDraft valid() {
  return OrganizationDraft{"acme-cl", " Acme Chile ", "cl", "clp", "active"};
}

TEST(OrganizationTest, NormalisesAValidDraft) {
  auto draft = validateOrganization(valid());
  ASSERT_TRUE(draft) << draft.error().message;
  EXPECT_EQ(draft->name, "Acme Chile");
  EXPECT_EQ(draft->country, "CL");
  EXPECT_EQ(draft->defaultCurrency, "CLP");
}

TEST(OrganizationTest, RejectsBadFieldsNamingThem) {
  auto bad = [](auto mutate, const std::string& field) {
    OrganizationDraft draft = valid();
    mutate(draft);
    auto result = validateOrganization(draft);
    ASSERT_FALSE(result) << field;
    EXPECT_EQ(result.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(result.error().message.find(field), std::string::npos) << result.error().message;
  };
  bad([](OrganizationDraft& d) { d.slug = "Acme"; }, "slug");
  bad([](OrganizationDraft& d) { d.slug = "-acme"; }, "slug");
  bad([](OrganizationDraft& d) { d.slug = "a"; }, "slug");
  bad([](OrganizationDraft& d) { d.name = "   "; }, "name");
  bad([](OrganizationDraft& d) { d.country = "CHL"; }, "country");
  bad([](OrganizationDraft& d) { d.defaultCurrency = "C1P"; }, "default_currency");
  bad([](OrganizationDraft& d) { d.status = "deleted"; }, "status");
}

}  // namespace
}  // namespace ordersvc::domain
