// Problems found while reading a JSON document (a request or a configuration), each at a
// JSON pointer, so a caller can report every mistake at once instead of the first.
//
// Shared by the bundled plugins (plugins/common/); compiled into each plugin library.
// Not thread-safe: one Problems belongs to one read on one thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ordersvc::plugins::common {

struct Problem {
  std::string path;  // JSON pointer ("" is the whole document)
  std::string message;
};

class Problems {
 public:
  void add(std::string path, std::string message);
  bool empty() const { return list_.empty(); }
  const std::vector<Problem>& list() const { return list_; }
  // "/a/0: must be a string; /b: is required" for a one-line error message.
  std::string summary() const;

 private:
  std::vector<Problem> list_;
};

// The pointer to member `token` of the value at `base` (RFC 6901 escaping of ~ and /).
std::string pointerTo(std::string_view base, std::string_view token);
// The pointer to element `index` of the array at `base`.
std::string pointerTo(std::string_view base, std::size_t index);

}  // namespace ordersvc::plugins::common
