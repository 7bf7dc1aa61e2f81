#include "platform/config/url_check.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace ordersvc::config {

std::string checkUrl(const std::string& url, const std::vector<std::string_view>& schemes) {
  if (url.find("://") == std::string::npos) return "is not a URL (expected scheme://...)";
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    return "is a malformed URL (" + e.message() + ")";
  }
  bool schemeAllowed = false;
  std::string allowed;
  for (std::string_view scheme : schemes) {
    schemeAllowed = schemeAllowed || uri.getScheme() == scheme;
    allowed += (allowed.empty() ? "" : ", ") + std::string(scheme) + "://";
  }
  if (!schemeAllowed) return "has scheme '" + uri.getScheme() + "', expected one of " + allowed;
  if (uri.getScheme() == "sqlite") {
    if (uri.getPath().empty() || uri.getPath() == "/") return "names no database file (sqlite:///path/file.db)";
    return {};
  }
  if (uri.getHost().empty()) return "has no host";
  // Poco accepts an empty port ("host:") silently; a colon must be followed by digits.
  const auto authorityStart = url.find("://") + 3;
  const auto authorityEnd = url.find_first_of("/?#", authorityStart);
  const std::string authority = url.substr(authorityStart, authorityEnd - authorityStart);
  const auto hostStart = authority.rfind('@') == std::string::npos ? 0 : authority.rfind('@') + 1;
  const auto colon = authority.find(':', hostStart);
  if (colon != std::string::npos && authority.find(']', hostStart) == std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
        std::stoi(port) == 0 || std::stoi(port) > 65535) {
      return "has an invalid port";
    }
  }
  return {};
}

}  // namespace ordersvc::config
