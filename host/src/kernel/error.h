#pragma once

#include <string>
#include <utility>

#include "kernel/error_code.h"

namespace ordersvc {

// A failure as a value: a code from the catalogue and a message for humans.
// Messages never contain secrets; callers redact before building one.
struct Error {
  ErrorCode code;
  std::string message;
  std::string detailsJson = {};  // optional JSON value shown as error.details (e.g. schema errors)

  static Error invalidArgument(std::string m) { return {ErrorCode::InvalidArgument, std::move(m)}; }
  static Error notFound(std::string m) { return {ErrorCode::NotFound, std::move(m)}; }
  static Error conflict(std::string m) { return {ErrorCode::Conflict, std::move(m)}; }
  static Error unavailable(std::string m) { return {ErrorCode::Unavailable, std::move(m)}; }
  static Error internal(std::string m) { return {ErrorCode::Internal, std::move(m)}; }
  static Error methodNotAllowed(std::string m) { return {ErrorCode::MethodNotAllowed, std::move(m)}; }
  static Error payloadTooLarge(std::string m) { return {ErrorCode::PayloadTooLarge, std::move(m)}; }
  static Error unauthenticated(std::string m) { return {ErrorCode::Unauthenticated, std::move(m)}; }
  static Error permissionDenied(std::string m) { return {ErrorCode::PermissionDenied, std::move(m)}; }
  static Error unprocessable(std::string m) { return {ErrorCode::Unprocessable, std::move(m)}; }
  static Error deadlineExceeded(std::string m) { return {ErrorCode::DeadlineExceeded, std::move(m)}; }
  static Error configuration(std::string m) { return {ErrorCode::Configuration, std::move(m)}; }
  static Error resourceExhausted(std::string m) { return {ErrorCode::ResourceExhausted, std::move(m)}; }

  std::string toString() const { return std::string(errorCodeName(code)) + ": " + message; }
};

}  // namespace ordersvc
