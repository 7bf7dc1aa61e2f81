#include "common/form_encoding.h"

namespace ordersvc::plugins::common {

std::string formEncode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' || byte == '.' || byte == '~';
    if (unreserved) {
      out.push_back(ch);
    } else if (byte == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kDigits[byte >> 4]);
      out.push_back(kDigits[byte & 0x0f]);
    }
  }
  return out;
}

FormBody& FormBody::add(std::string_view key, std::string_view value) {
  if (!text_.empty()) text_.push_back('&');
  text_ += formEncode(key);
  text_.push_back('=');
  text_ += formEncode(value);
  return *this;
}

}  // namespace ordersvc::plugins::common
