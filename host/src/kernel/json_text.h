#pragma once

#include <string>
#include <string_view>

namespace ordersvc {

// Appends `text` to `out` as a JSON string literal, quotes included, escaping
// control characters so any byte string yields valid JSON.
void appendJsonString(std::string& out, std::string_view text);

}  // namespace ordersvc
