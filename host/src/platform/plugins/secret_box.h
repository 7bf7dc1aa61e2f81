#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "kernel/result.h"

namespace ordersvc::plugins {

// Encrypts small secrets (plugin credentials) at rest with AES-256-GCM under the
// master key (ORDERSVC_MASTER_KEY). Every seal uses a fresh random 96-bit nonce; the
// output is "v1:" + base64(nonce | ciphertext | 16-byte tag). `associatedData` (the
// organization and instance id) is authenticated, so a ciphertext copied to another
// row does not decrypt.
//
// Thread-safety: immutable; any thread.
class SecretBox {
 public:
  using Key = std::array<std::uint8_t, 32>;

  explicit SecretBox(const Key& key) : key_(key) {}

  // Parses a key given as 64 hex digits. Errors: Configuration.
  static Result<Key> parseKey(const std::string& hex);

  Result<std::string> seal(const std::string& plaintext, const std::string& associatedData) const;
  // Errors: InvalidArgument for a malformed box; PermissionDenied when authentication
  // fails (wrong key, tampered text, other associated data).
  Result<std::string> open(const std::string& sealed, const std::string& associatedData) const;

 private:
  Key key_;
};

}  // namespace ordersvc::plugins
