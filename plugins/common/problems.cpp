#include "common/problems.h"

namespace ordersvc::plugins::common {

void Problems::add(std::string path, std::string message) {
  list_.push_back(Problem{std::move(path), std::move(message)});
}

std::string Problems::summary() const {
  std::string out;
  for (const Problem& p : list_) {
    if (!out.empty()) out += "; ";
    out += p.path.empty() ? std::string("(document)") : p.path;
    out += ": ";
    out += p.message;
  }
  return out;
}

std::string pointerTo(std::string_view base, std::string_view token) {
  std::string out(base);
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointerTo(std::string_view base, std::size_t index) {
  return std::string(base) + '/' + std::to_string(index);
}

}  // namespace ordersvc::plugins::common
