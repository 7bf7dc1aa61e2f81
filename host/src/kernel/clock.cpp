#include "kernel/clock.h"

#include <chrono>

namespace ordersvc {

int64_t systemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace ordersvc
