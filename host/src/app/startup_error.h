#pragma once

#include <string>

namespace ordersvc::app {

// Process exit codes (sysexits.h).
constexpr int kExitUsage = 64;
constexpr int kExitUnavailable = 69;
constexpr int kExitSoftware = 70;
constexpr int kExitConfig = 78;

// Why start-up stopped: the log line, the reason, and the process's exit code.
struct StartupError {
  int exitCode = kExitSoftware;
  std::string what;    // "giving up: database unreachable"
  std::string reason;  // shown on stderr
};

}  // namespace ordersvc::app
