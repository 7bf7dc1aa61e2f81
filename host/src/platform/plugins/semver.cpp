#include "platform/plugins/semver.h"

#include <charconv>
#include <sstream>

namespace ordersvc::plugins {

namespace {

bool parseNumber(std::string_view text, int& out) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;  // no leading zeros
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && out >= 0;
}

bool isIdentifierChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.';
}

int comparePrerelease(const std::string& a, const std::string& b) {
  if (a == b) return 0;
  if (a.empty()) return 1;  // a release ranks above its pre-releases
  if (b.empty()) return -1;
  std::istringstream left(a), right(b);
  std::string x, y;
  while (true) {
    const bool hasX = static_cast<bool>(std::getline(left, x, '.'));
    const bool hasY = static_cast<bool>(std::getline(right, y, '.'));
    if (!hasX && !hasY) return 0;
    if (!hasX) return -1;
    if (!hasY) return 1;
    int nx = 0, ny = 0;
    const bool numX = parseNumber(x, nx), numY = parseNumber(y, ny);
    if (numX && numY && nx != ny) return nx < ny ? -1 : 1;
    if (numX != numY) return numX ? -1 : 1;  // numeric identifiers rank lower
    if (!numX && x != y) return x < y ? -1 : 1;
  }
}

// "1", "1.2", "1.2.3", "1.x", "1.2.*": fills the parts given; `given` counts them.
bool parsePartial(std::string_view text, SemVer& out, int& given) {
  given = 0;
  int parts[3] = {0, 0, 0};
  std::size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    const auto dot = text.find('.', start);
    const std::string_view part =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part == "x" || part == "X" || part == "*") break;
    if (!parseNumber(part, parts[i])) return false;
    ++given;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  out = SemVer{parts[0], parts[1], parts[2], {}};
  return given > 0 || text == "*" || text == "x" || text == "X";
}

}  // namespace

std::optional<SemVer> SemVer::parse(std::string_view text) {
  const auto plus = text.find('+');
  if (plus != std::string_view::npos) text = text.substr(0, plus);
  SemVer v;
  const auto dash = text.find('-');
  if (dash != std::string_view::npos) {
    v.prerelease = std::string(text.substr(dash + 1));
    if (v.prerelease.empty()) return std::nullopt;
    for (char c : v.prerelease) {
      if (!isIdentifierChar(c)) return std::nullopt;
    }
    text = text.substr(0, dash);
  }
  const auto first = text.find('.');
  const auto second = first == std::string_view::npos ? first : text.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (!parseNumber(text.substr(0, first), v.major) ||
      !parseNumber(text.substr(first + 1, second - first - 1), v.minor) ||
      !parseNumber(text.substr(second + 1), v.patch)) {
    return std::nullopt;
  }
  return v;
}

std::string SemVer::toString() const {
  std::string out = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  if (!prerelease.empty()) out += "-" + prerelease;
  return out;
}

int SemVer::compare(const SemVer& o) const {
  if (major != o.major) return major < o.major ? -1 : 1;
  if (minor != o.minor) return minor < o.minor ? -1 : 1;
  if (patch != o.patch) return patch < o.patch ? -1 : 1;
  return comparePrerelease(prerelease, o.prerelease);
}

std::optional<VersionRange> VersionRange::parse(std::string_view text) {
  VersionRange range;
  range.text_ = std::string(text);
  using Op = Comparator::Op;
  std::istringstream words{std::string(text)};
  std::string word;
  bool any = false;
  while (words >> word) {
    any = true;
    std::string_view w = word;
    if (w == "*" || w == "x" || w == "X") continue;
    if (w[0] == '^' || w[0] == '~') {
      const bool caret = w[0] == '^';
      SemVer base;
      int given = 0;
      if (!parsePartial(w.substr(1), base, given) || given == 0) return std::nullopt;
      SemVer upper;
      if (caret) {
        if (base.major > 0 || given == 1)
          upper = SemVer{base.major + 1, 0, 0, {}};
        else if (base.minor > 0 || given == 2)
          upper = SemVer{0, base.minor + 1, 0, {}};
        else
          upper = SemVer{0, 0, base.patch + 1, {}};
      } else {
        upper = given == 1 ? SemVer{base.major + 1, 0, 0, {}} : SemVer{base.major, base.minor + 1, 0, {}};
      }
      range.comparators_.push_back({Op::Ge, base});
      range.comparators_.push_back({Op::Lt, upper});
      continue;
    }
    Op op = Op::Eq;
    std::size_t skip = 0;
    if (w.rfind(">=", 0) == 0) {
      op = Op::Ge;
      skip = 2;
    } else if (w.rfind("<=", 0) == 0) {
      op = Op::Le;
      skip = 2;
    } else if (w[0] == '>') {
      op = Op::Gt;
      skip = 1;
    } else if (w[0] == '<') {
      op = Op::Lt;
      skip = 1;
    } else if (w[0] == '=') {
      op = Op::Eq;
      skip = 1;
    }
    const std::string_view rest = w.substr(skip);
    if (auto exact = SemVer::parse(rest)) {
      range.comparators_.push_back({op, *exact});
      continue;
    }
    SemVer base;
    int given = 0;
    if (op != Op::Eq || !parsePartial(rest, base, given) || given == 0) return std::nullopt;
    // A wildcard "1.x" or "1.2" is a half-open interval.
    const SemVer upper = given == 1 ? SemVer{base.major + 1, 0, 0, {}} : SemVer{base.major, base.minor + 1, 0, {}};
    range.comparators_.push_back({Op::Ge, base});
    range.comparators_.push_back({Op::Lt, upper});
  }
  if (!any) return std::nullopt;
  return range;
}

bool VersionRange::contains(const SemVer& version) const {
  if (!version.prerelease.empty()) {
    bool namesSamePrerelease = false;
    for (const auto& c : comparators_) {
      namesSamePrerelease =
          namesSamePrerelease || (!c.version.prerelease.empty() && c.version.major == version.major &&
                                  c.version.minor == version.minor && c.version.patch == version.patch);
    }
    if (!namesSamePrerelease) return false;
  }
  for (const auto& c : comparators_) {
    const int cmp = version.compare(c.version);
    bool ok = false;
    switch (c.op) {
      case Comparator::Op::Eq:
        ok = cmp == 0;
        break;
      case Comparator::Op::Lt:
        ok = cmp < 0;
        break;
      case Comparator::Op::Le:
        ok = cmp <= 0;
        break;
      case Comparator::Op::Gt:
        ok = cmp > 0;
        break;
      case Comparator::Op::Ge:
        ok = cmp >= 0;
        break;
    }
    if (!ok) return false;
  }
  return true;
}

std::optional<SemVer> VersionRange::best(const std::vector<SemVer>& versions) const {
  std::optional<SemVer> best;
  for (const auto& v : versions) {
    if (contains(v) && (!best || *best < v)) best = v;
  }
  return best;
}

}  // namespace ordersvc::plugins
