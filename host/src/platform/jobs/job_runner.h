#pragma once

#include <vector>

#include "platform/modules/module.h"

namespace ordersvc::platform {

// One round of the modules' jobs, in registration order, each with the same batch
// size. A failure is logged and the round goes on; the next round retries.
void runJobsOnce(const std::vector<Job>& jobs, int batch);

}  // namespace ordersvc::platform
