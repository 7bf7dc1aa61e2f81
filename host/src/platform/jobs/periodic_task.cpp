#include "platform/jobs/periodic_task.h"

#include "platform/logging/log.h"

namespace ordersvc::plugins {

PeriodicTask::PeriodicTask(std::string name, std::chrono::milliseconds interval, std::function<void()> task)
    : name_(std::move(name)), interval_(interval), task_(std::move(task)) {}

PeriodicTask::~PeriodicTask() {
  stop();
}

void PeriodicTask::start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      try {
        task_();
      } catch (const std::exception& e) {
        logging::error("periodic task failed", {{"task", name_}, {"reason", e.what()}});
      }
      lock.lock();
    }
  });
}

void PeriodicTask::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ordersvc::plugins
