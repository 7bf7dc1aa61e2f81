#pragma once

#include <string_view>

namespace ordersvc {

// The one catalogue of error codes (the ClickHouse idea): every code has a fixed
// number and a stable name that clients see in the JSON envelope, and maps once to
// an HTTP status. Numbers are never reused; a retired code leaves a gap.
enum class ErrorCode : int {
  InvalidArgument = 1,
  NotFound = 2,
  MethodNotAllowed = 3,
  PayloadTooLarge = 4,
  Conflict = 5,
  Unauthenticated = 6,
  PermissionDenied = 7,
  Unprocessable = 8,
  Unavailable = 9,
  DeadlineExceeded = 10,
  Internal = 11,
  Configuration = 12,
  ResourceExhausted = 13,  // rate limit: 429 with Retry-After
};

// The highest code in use; catalogue checks iterate up to it.
constexpr ErrorCode kLastErrorCode = ErrorCode::ResourceExhausted;

// Stable wire name, e.g. "NOT_FOUND".
std::string_view errorCodeName(ErrorCode code);

// The HTTP status a REST response uses for the code.
int httpStatusFor(ErrorCode code);

}  // namespace ordersvc
