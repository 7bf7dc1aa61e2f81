#include "platform/metrics/process_collector.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "kernel/build_info.h"

namespace ordersvc::metrics {

namespace {

int countOpenFds() {
  int count = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (const dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') ++count;
    }
    closedir(dir);
    --count;  // the descriptor opendir itself holds
  }
  return count;
}

double bootTimeSeconds() {
  std::ifstream stat("/proc/stat");
  std::string key;
  double value = 0;
  while (stat >> key) {
    if (key == "btime") {
      stat >> value;
      return value;
    }
    stat.ignore(4096, '\n');
  }
  return 0;
}

}  // namespace

void writeProcessMetrics(ExpositionWriter& writer) {
  // /proc/self/stat: fields after the command name (which may contain spaces).
  std::ifstream statFile("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return;
  std::istringstream fields(stat.substr(close + 2));
  std::vector<std::string> f;
  for (std::string field; fields >> field;) f.push_back(field);
  // f[0] is field 3 (state); utime=14, stime=15, num_threads=20, starttime=22, vsize=23, rss=24.
  auto at = [&f](int fieldNumber) { return std::stod(f.at(static_cast<std::size_t>(fieldNumber - 3))); };
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double pageSize = static_cast<double>(sysconf(_SC_PAGESIZE));

  writer.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
  writer.sample("process_cpu_seconds_total", {}, (at(14) + at(15)) / ticks);
  writer.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  writer.sample("process_resident_memory_bytes", {}, at(24) * pageSize);
  writer.family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
  writer.sample("process_virtual_memory_bytes", {}, at(23));
  writer.family("process_threads", "gauge", "Number of OS threads in the process.");
  writer.sample("process_threads", {}, at(20));
  writer.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
  writer.sample("process_start_time_seconds", {}, bootTimeSeconds() + at(22) / ticks);
  writer.family("process_open_fds", "gauge", "Number of open file descriptors.");
  writer.sample("process_open_fds", {}, countOpenFds());
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    writer.family("process_max_fds", "gauge", "Maximum number of open file descriptors.");
    writer.sample("process_max_fds", {}, static_cast<double>(limit.rlim_cur));
  }
}

void writeBuildInfo(ExpositionWriter& writer) {
  writer.family("ordersvc_build_info", "gauge", "Build of the running ordersvc; the value is always 1.");
  writer.sample("ordersvc_build_info",
                {{"version", std::string(kVersion)},
                 {"commit", std::string(kGitCommit)},
                 {"compiler", std::string(kCompiler)},
                 {"build_type", std::string(kBuildType)}},
                1);
}

}  // namespace ordersvc::metrics
