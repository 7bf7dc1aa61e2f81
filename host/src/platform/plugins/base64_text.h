#pragma once

#include <string>

namespace ordersvc::plugins {

// Standard base64 (RFC 4648) on one line, with padding. Sealed secrets, signatures and
// key/value values are stored and shown as text in this form.
std::string encodeBase64(const std::string& bytes);

// Decodes what encodeBase64 wrote; also accepts text without padding. Invalid
// characters end the decoded data early (callers check lengths or authenticate).
std::string decodeBase64(const std::string& text);

}  // namespace ordersvc::plugins
