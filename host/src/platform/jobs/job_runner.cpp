#include "platform/jobs/job_runner.h"

#include "platform/logging/log.h"

namespace ordersvc::platform {

void runJobsOnce(const std::vector<Job>& jobs, int batch) {
  for (const auto& job : jobs) {
    const auto done = job.run(batch);
    if (!done) {
      logging::warn("background job failed", {{"job", job.name}, {"reason", done.error().message}});
    } else if (*done > 0) {
      logging::info("background job", {{"job", job.name}, {"changed", *done}});
    }
  }
}

}  // namespace ordersvc::platform
