#pragma once

#include "platform/metrics/metrics_registry.h"

namespace ordersvc::metrics {

// Writes the standard process_* families (resident and virtual memory, CPU seconds,
// open and maximum file descriptors, threads, start time) from /proc/self, the names
// Prometheus client libraries use so existing dashboards work.
void writeProcessMetrics(ExpositionWriter& writer);

// Writes ordersvc_build_info{version,commit,compiler,build_type} 1.
void writeBuildInfo(ExpositionWriter& writer);

}  // namespace ordersvc::metrics
