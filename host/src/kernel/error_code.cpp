#include "kernel/error_code.h"

namespace ordersvc {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument:
      return "INVALID_ARGUMENT";
    case ErrorCode::NotFound:
      return "NOT_FOUND";
    case ErrorCode::MethodNotAllowed:
      return "METHOD_NOT_ALLOWED";
    case ErrorCode::PayloadTooLarge:
      return "PAYLOAD_TOO_LARGE";
    case ErrorCode::Conflict:
      return "CONFLICT";
    case ErrorCode::Unauthenticated:
      return "UNAUTHENTICATED";
    case ErrorCode::PermissionDenied:
      return "PERMISSION_DENIED";
    case ErrorCode::Unprocessable:
      return "UNPROCESSABLE";
    case ErrorCode::Unavailable:
      return "SERVICE_UNAVAILABLE";
    case ErrorCode::DeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case ErrorCode::Internal:
      return "INTERNAL";
    case ErrorCode::Configuration:
      return "CONFIGURATION";
    case ErrorCode::ResourceExhausted:
      return "RATE_LIMITED";
  }
  return "INTERNAL";
}

int httpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument:
      return 400;
    case ErrorCode::NotFound:
      return 404;
    case ErrorCode::MethodNotAllowed:
      return 405;
    case ErrorCode::PayloadTooLarge:
      return 413;
    case ErrorCode::Conflict:
      return 409;
    case ErrorCode::Unauthenticated:
      return 401;
    case ErrorCode::PermissionDenied:
      return 403;
    case ErrorCode::Unprocessable:
      return 422;
    case ErrorCode::Unavailable:
      return 503;
    case ErrorCode::DeadlineExceeded:
      return 504;
    case ErrorCode::Internal:
      return 500;
    case ErrorCode::Configuration:
      return 500;
    case ErrorCode::ResourceExhausted:
      return 429;
  }
  return 500;
}

}  // namespace ordersvc
