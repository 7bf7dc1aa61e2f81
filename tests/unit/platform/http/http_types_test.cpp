#include "platform/http/http_types.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace ordersvc::api {
namespace {

TEST(EnvelopeTest, SuccessWrapsDataWithStatusFirst) {
  Poco::JSON::Object::Ptr data = new Poco::JSON::Object;
  data->set("order_id", "ord_1");
  const Response response = successResponse(data, 201);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body.rfind("{\"status\":\"success\"", 0), 0u) << response.body;
  auto parsed = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(parsed->getObject("data")->getValue<std::string>("order_id"), "ord_1");
}

TEST(EnvelopeTest, ErrorCarriesCodeMessageAndMappedStatus) {
  const Response response = errorResponse(Error::conflict("order is shipped"));
  EXPECT_EQ(response.status, 409);
  auto parsed = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(parsed->getValue<std::string>("status"), "error");
  EXPECT_EQ(parsed->getObject("error")->getValue<std::string>("code"), "CONFLICT");
  EXPECT_EQ(parsed->getObject("error")->getValue<std::string>("message"), "order is shipped");
}

TEST(ErrorCodeTest, EveryCodeHasANameAndAnHttpStatus) {
  for (int code = 1; code <= 12; ++code) {
    const auto value = static_cast<ErrorCode>(code);
    EXPECT_FALSE(errorCodeName(value).empty());
    EXPECT_GE(httpStatusFor(value), 400);
  }
  EXPECT_EQ(httpStatusFor(ErrorCode::Unavailable), 503);
  EXPECT_EQ(httpStatusFor(ErrorCode::PayloadTooLarge), 413);
  EXPECT_EQ(httpStatusFor(ErrorCode::Unprocessable), 422);
}

}  // namespace
}  // namespace ordersvc::api
