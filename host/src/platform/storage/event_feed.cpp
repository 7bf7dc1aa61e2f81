#include "platform/storage/event_feed.h"

namespace ordersvc::storage {

Result<std::vector<OutboxEvent>> EventFeed::after(const std::string& organizationId, int64_t afterSeq, int limit,
                                                  const std::optional<std::string>& type) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  return outbox_store::list(*connection, organizationId, afterSeq, limit, type);
}

}  // namespace ordersvc::storage
