#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ordersvc::plugins {

// A semantic version (https://semver.org): MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD].
// Build metadata is ignored in comparisons, as the spec says.
struct SemVer {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string prerelease;  // empty for a release

  static std::optional<SemVer> parse(std::string_view text);
  std::string toString() const;
  int compare(const SemVer& other) const;  // <0, 0, >0
  bool operator<(const SemVer& other) const { return compare(other) < 0; }
  bool operator==(const SemVer& other) const { return compare(other) == 0; }
};

// A set of versions an organization pins a plugin to. Accepted forms:
//   "*"               any release
//   "1.2.3"           exactly that version
//   "^1.2.3", "^1.2"  compatible: >=1.2.3 <2.0.0 (for 0.x: >=0.2.3 <0.3.0)
//   "~1.2.3", "~1.2"  patch updates: >=1.2.3 <1.3.0
//   "1.x", "1.2.x"    wildcards
//   ">=1.0.0 <2.0.0"  comparators (>, >=, <, <=, =) separated by spaces, all must hold
// Pre-release versions match only a range that names a pre-release of the same
// major.minor.patch (npm's rule), so nobody is moved onto a beta by accident.
class VersionRange {
 public:
  static std::optional<VersionRange> parse(std::string_view text);
  bool contains(const SemVer& version) const;
  const std::string& text() const { return text_; }

  // The highest of `versions` inside the range, if any.
  std::optional<SemVer> best(const std::vector<SemVer>& versions) const;

 private:
  struct Comparator {
    enum class Op { Eq, Lt, Le, Gt, Ge } op;
    SemVer version;
  };
  std::string text_;
  std::vector<Comparator> comparators_;  // empty: any release
};

}  // namespace ordersvc::plugins
