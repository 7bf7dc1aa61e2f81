#pragma once

#include <string>

namespace ordersvc::testing {

// The value of an environment variable the test command sets (server URLs). A
// missing one is a failure, never a skip: the suite must run against real servers.
// Throws std::runtime_error naming the variable.
std::string requiredEnv(const std::string& name);

// A fresh, empty PostgreSQL database on the test server; returns its URL.
// Uses ORDERSVC_TEST_PG_ADMIN_URL to create it.
std::string createPostgresDatabase(const std::string& prefix);

// A new empty directory under the system temp dir, removed by the caller if wanted.
std::string makeTempDir(const std::string& prefix);

// Runs a shell command, returning its exit status and combined output.
struct CommandResult {
  int exitCode = -1;
  std::string output;
};
CommandResult runCommand(const std::string& command);

}  // namespace ordersvc::testing
