#include "test_env.h"

#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include "platform/storage/database_url.h"

namespace ordersvc::testing {

std::string requiredEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(name + " is not set: run the suite through scripts/test.sh, which starts the servers");
  }
  return value;
}

namespace {

std::string uniqueSuffix() {
  static std::atomic<int> counter{0};
  std::random_device random;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(random() % 100000);
}

}  // namespace

std::string createPostgresDatabase(const std::string& prefix) {
  const std::string adminUrl = requiredEnv("ORDERSVC_TEST_PG_ADMIN_URL");
  auto parsed = storage::DatabaseUrl::parse(adminUrl, 5);
  if (!parsed) throw std::runtime_error(parsed.error().message);
  Poco::Data::PostgreSQL::Connector::registerConnector();
  Poco::Data::Session admin("PostgreSQL", parsed->connectionString);
  const std::string name = prefix + "_" + uniqueSuffix();
  admin << "CREATE DATABASE " + name, Poco::Data::Keywords::now;
  const auto slash = adminUrl.rfind('/');
  return adminUrl.substr(0, slash + 1) + name;
}

std::string makeTempDir(const std::string& prefix) {
  Poco::Path path(Poco::Path::temp());
  path.pushDirectory(prefix + "_" + uniqueSuffix());
  Poco::File(path).createDirectories();
  return path.toString();
}

CommandResult runCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) result.output.append(buffer, got);
  const int status = ::pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace ordersvc::testing
