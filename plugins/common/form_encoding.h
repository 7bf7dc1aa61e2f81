// application/x-www-form-urlencoded bodies, as Stripe's API takes them: nested fields
// are written by the caller as bracketed keys ("metadata[order_id]").
#pragma once

#include <string>
#include <string_view>

namespace ordersvc::plugins::common {

// Percent-encodes everything but unreserved characters (RFC 3986) and writes a space
// as "+", as HTML forms do.
std::string formEncode(std::string_view text);

// Builds "a=1&b=2" in the order fields are added.
class FormBody {
 public:
  FormBody& add(std::string_view key, std::string_view value);
  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }

 private:
  std::string text_;
};

}  // namespace ordersvc::plugins::common
