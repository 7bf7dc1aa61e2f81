#include "platform/logging/log.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "kernel/json_text.h"

namespace ordersvc::logging {

namespace {

std::atomic<Format> gFormat{Format::Text};

spdlog::level::level_enum toSpdlog(Level level) {
  switch (level) {
    case Level::Trace:
      return spdlog::level::trace;
    case Level::Debug:
      return spdlog::level::debug;
    case Level::Info:
      return spdlog::level::info;
    case Level::Warn:
      return spdlog::level::warn;
    case Level::Error:
      return spdlog::level::err;
    case Level::Critical:
      return spdlog::level::critical;
    case Level::Off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::string_view levelName(Level level) {
  switch (level) {
    case Level::Trace:
      return "trace";
    case Level::Debug:
      return "debug";
    case Level::Info:
      return "info";
    case Level::Warn:
      return "warn";
    case Level::Error:
      return "error";
    case Level::Critical:
      return "critical";
    case Level::Off:
      return "off";
  }
  return "info";
}

std::shared_ptr<spdlog::logger>& processLogger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = std::make_shared<spdlog::logger>("ordersvc", std::make_shared<spdlog::sinks::stdout_sink_mt>());
    l->set_pattern("%Y-%m-%d %H:%M:%S.%e %-5l %v");
    l->flush_on(spdlog::level::info);
    return l;
  }();
  return logger;
}

void appendNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  out += buffer;
}

void appendJsonValue(std::string& out, const Field::Value& value) {
  std::visit(
      [&out](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string_view> || std::is_same_v<V, std::string>) {
          appendJsonString(out, v);
        } else if constexpr (std::is_same_v<V, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<V, double>) {
          appendNumber(out, v);
        } else {
          out += std::to_string(v);
        }
      },
      value);
}

void appendTextValue(std::string& out, const Field::Value& value) {
  std::visit(
      [&out](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::string_view> || std::is_same_v<V, std::string>) {
          const bool quote = v.empty() || v.find_first_of(" \"=\t\n") != std::string_view::npos;
          if (quote) {
            appendJsonString(out, v);
          } else {
            out += v;
          }
        } else if constexpr (std::is_same_v<V, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<V, double>) {
          appendNumber(out, v);
        } else {
          out += std::to_string(v);
        }
      },
      value);
}

std::string utcTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buffer;
}

std::string render(Format format, Level level, std::string_view message, Fields fields, bool withPrefix) {
  std::string line;
  line.reserve(128);
  if (format == Format::Json) {
    line += "{";
    if (withPrefix) {
      line += "\"ts\":\"" + utcTimestamp() + "\",";
    }
    line += "\"level\":\"";
    line += levelName(level);
    line += "\",\"msg\":";
    appendJsonString(line, message);
    for (const Field& field : fields) {
      line += ',';
      appendJsonString(line, field.key);
      line += ':';
      appendJsonValue(line, field.value);
    }
    line += "}";
    return line;
  }
  line += message;
  for (const Field& field : fields) {
    line += ' ';
    line += field.key;
    line += '=';
    appendTextValue(line, field.value);
  }
  return line;
}

}  // namespace

Level parseLevel(std::string_view name) {
  for (Level level :
       {Level::Trace, Level::Debug, Level::Info, Level::Warn, Level::Error, Level::Critical, Level::Off}) {
    if (levelName(level) == name) return level;
  }
  return Level::Info;
}

void configure(Level level, Format format) {
  gFormat = format;
  auto& logger = processLogger();
  // JSON lines carry their own timestamp and level; spdlog adds nothing around them.
  logger->set_pattern(format == Format::Json ? "%v" : "%Y-%m-%d %H:%M:%S.%e %-5l %v");
  logger->set_level(toSpdlog(level));
}

void write(Level level, std::string_view message, Fields fields) {
  auto& logger = processLogger();
  if (!logger->should_log(toSpdlog(level))) return;
  logger->log(toSpdlog(level), render(gFormat.load(), level, message, fields, true));
}

std::string renderForTest(Format format, Level level, std::string_view message, Fields fields) {
  return render(format, level, message, fields, false);
}

void flush() {
  processLogger()->flush();
}

}  // namespace ordersvc::logging
