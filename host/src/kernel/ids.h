#pragma once

#include <string>
#include <string_view>

namespace ordersvc {

// "cart_7f3k…": an opaque id with a type prefix and 128 random bits (base32, lower
// case), unguessable so an id alone never grants access and never leaks a count.
std::string newId(std::string_view prefix);

// A bearer secret (cart token, recovery token): 256 random bits, URL-safe.
std::string newSecretToken();

// SHA-256 hex of a secret token: what is stored, so a database leak yields no tokens.
std::string hashToken(std::string_view token);

}  // namespace ordersvc
