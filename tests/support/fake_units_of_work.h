#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/storage/unit_of_work.h"

namespace ordersvc::testing {

// Units of work for use cases tested against fake repositories: nothing is stored;
// commit() counts and runs the after-commit work; a store failure (what a fake
// repository throws) becomes Internal with its message.
struct FakeUnit final : storage::UnitOfWork {
  explicit FakeUnit(int& commits) : commits_(commits) {}
  void afterCommit(std::function<void()> work) override { work_.push_back(std::move(work)); }
  Status commit() override {
    ++commits_;
    for (auto& work : work_) work();
    return Status::ok();
  }
  Error errorOf(const std::exception& thrown, const std::string&) override { return Error::internal(thrown.what()); }

  int& commits_;
  std::vector<std::function<void()>> work_;
};

struct FakeUnits final : storage::UnitsOfWork {
  Result<std::unique_ptr<storage::UnitOfWork>> begin() override {
    ++begun;
    return std::unique_ptr<storage::UnitOfWork>(new FakeUnit(commits));
  }
  int begun = 0;
  int commits = 0;
};

}  // namespace ordersvc::testing
