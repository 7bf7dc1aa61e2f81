#pragma once

#include <string>

namespace ordersvc::storage {

// The current UTC time as RFC 3339 text with milliseconds ("2026-11-25T15:48:45.123Z"),
// the form timestamps are bound and read in by the repositories.
std::string utcNowText();

}  // namespace ordersvc::storage
