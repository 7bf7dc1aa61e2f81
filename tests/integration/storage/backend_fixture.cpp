#include "backend_fixture.h"

#include "test_env.h"

namespace ordersvc::testing {

void BackendTest::SetUp() {
  if (GetParam() == "sqlite") {
    url_ = "sqlite://" + makeTempDir("ordersvc_storage") + "/test.db";
  } else {
    url_ = createPostgresDatabase("ordersvc_storage");
  }
}

void BackendTest::TearDown() {}

std::unique_ptr<storage::Database> BackendTest::openSameDatabase(int poolSize,
                                                                 std::chrono::milliseconds acquireTimeout) {
  auto parsed = storage::DatabaseUrl::parse(url_, 5);
  if (!parsed) throw std::runtime_error(parsed.error().message);
  storage::DatabaseOptions options;
  options.poolSize = poolSize;
  options.maxOverflow = 0;
  options.acquireTimeout = acquireTimeout;
  return std::make_unique<storage::Database>(*parsed, options);
}

std::unique_ptr<storage::Database> BackendTest::openFreshDatabase(int poolSize,
                                                                  std::chrono::milliseconds acquireTimeout) {
  return openSameDatabase(poolSize, acquireTimeout);
}

std::string backendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace ordersvc::testing
