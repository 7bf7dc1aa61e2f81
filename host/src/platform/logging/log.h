#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace ordersvc::logging {

enum class Format { Text, Json };
enum class Level { Trace, Debug, Info, Warn, Error, Critical, Off };

// One structured field of a log line. Values are never secrets: callers redact
// (config::redactUrl, Settings::redacted) before logging.
struct Field {
  using Value = std::variant<std::string_view, std::string, long long, double, bool>;
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, long long v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<long long>(v)) {}
  Field(std::string_view k, unsigned v) : key(k), value(static_cast<long long>(v)) {}
  Field(std::string_view k, long v) : key(k), value(static_cast<long long>(v)) {}
  Field(std::string_view k, unsigned long v) : key(k), value(static_cast<long long>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  std::string_view key;
  Value value;
};
using Fields = std::initializer_list<Field>;

// Sets up the process logger (stdout). Call once before threads start; before it,
// lines go to stdout as text at info level.
void configure(Level level, Format format);

// Parses "info", "warn", ... (as validated by the configuration); unknown -> Info.
Level parseLevel(std::string_view name);

// Writes one line: `message` plus `fields`, as "message k=v ..." in text format or as
// {"ts":…,"level":…,"msg":…,k:v…} in JSON format. Thread-safe.
void write(Level level, std::string_view message, Fields fields = {});

// Renders a line without writing it (the formatter behind write(); used by tests).
std::string renderForTest(Format format, Level level, std::string_view message, Fields fields);

inline void trace(std::string_view m, Fields f = {}) {
  write(Level::Trace, m, f);
}
inline void debug(std::string_view m, Fields f = {}) {
  write(Level::Debug, m, f);
}
inline void info(std::string_view m, Fields f = {}) {
  write(Level::Info, m, f);
}
inline void warn(std::string_view m, Fields f = {}) {
  write(Level::Warn, m, f);
}
inline void error(std::string_view m, Fields f = {}) {
  write(Level::Error, m, f);
}

// Flushes buffered lines (at shutdown).
void flush();

}  // namespace ordersvc::logging
