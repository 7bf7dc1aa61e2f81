#include "platform/storage/clock_text.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

namespace ordersvc::storage {

std::string utcNowText() {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ");
}

}  // namespace ordersvc::storage
