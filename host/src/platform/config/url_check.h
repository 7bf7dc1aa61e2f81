#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ordersvc::config {

// Checks that `url` is an absolute URL with one of `schemes`, a host (except for
// sqlite, whose URL is a file path) and a numeric port when one is given.
// Returns an empty string when valid, else the reason (without the URL's password).
std::string checkUrl(const std::string& url, const std::vector<std::string_view>& schemes);

}  // namespace ordersvc::config
