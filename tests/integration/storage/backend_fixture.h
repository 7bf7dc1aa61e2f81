#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "platform/storage/database.h"

namespace ordersvc::testing {

// Contract tests run once per backend: "sqlite" (a file in a temp dir) and
// "postgresql" (a fresh database on the server the test command started).
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A new Database over a fresh, empty database of the parameter's backend.
  std::unique_ptr<storage::Database> openFreshDatabase(
      int poolSize = 4, std::chrono::milliseconds acquireTimeout = std::chrono::milliseconds(10000));
  // Another Database over the same database (a second "process" sharing it).
  std::unique_ptr<storage::Database> openSameDatabase(
      int poolSize = 4, std::chrono::milliseconds acquireTimeout = std::chrono::milliseconds(10000));

  std::string url_;
};

std::string backendName(const ::testing::TestParamInfo<std::string>& info);

}  // namespace ordersvc::testing
