#include "platform/integrations/outbox_relay.h"

#include <gtest/gtest.h>

namespace ordersvc::integrations {
namespace {

TEST(OutboxRelayMessageBodyTest, CarriesTheEventWithRfc3339UtcMilliseconds) {
  const OutboxEvent event{
      7, "evt_01", "org_9", "order.created", 1764085725123, R"({"order_id":"ord_1","total":"10.00"})"};
  EXPECT_EQ(outboxMessageBody(event),
            R"({"id":"evt_01","type":"order.created","organization_id":"org_9",)"
            R"("occurred_at":"2025-11-25T15:48:45.123Z","data":{"order_id":"ord_1","total":"10.00"}})");
}

TEST(OutboxRelayMessageBodyTest, PadsMillisecondsAndHandlesTheEpoch) {
  EXPECT_NE(
      outboxMessageBody({1, "e", "o", "t", 1764085725005, "{}"}).find(R"("occurred_at":"2025-11-25T15:48:45.005Z")"),
      std::string::npos);
  EXPECT_NE(outboxMessageBody({1, "e", "o", "t", 0, "{}"}).find(R"("occurred_at":"1970-01-01T00:00:00.000Z")"),
            std::string::npos);
}

TEST(OutboxRelayMessageBodyTest, EscapesTextFieldsAndDefaultsBlankData) {
  EXPECT_EQ(outboxMessageBody({1, "evt_\"1\"", "org\\x", "order.created", 0, " \n"}),
            R"({"id":"evt_\"1\"","type":"order.created","organization_id":"org\\x",)"
            R"("occurred_at":"1970-01-01T00:00:00.000Z","data":{}})");
}

}  // namespace
}  // namespace ordersvc::integrations
