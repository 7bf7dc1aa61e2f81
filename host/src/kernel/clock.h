#pragma once

#include <cstdint>
#include <functional>

namespace ordersvc {

// The one clock of the service: milliseconds since the epoch. Everything that needs the
// time takes a Clock, so tests and jobs can move time; only app/ passes systemNowMs.
using Clock = std::function<int64_t()>;

// The system's wall clock, in milliseconds since the epoch.
int64_t systemNowMs();

}  // namespace ordersvc
