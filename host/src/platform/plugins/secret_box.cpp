#include "platform/plugins/secret_box.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>
#include <vector>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "platform/plugins/base64_text.h"

namespace ordersvc::plugins {

namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr const char* kPrefix = "v1:";

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

}  // namespace

Result<SecretBox::Key> SecretBox::parseKey(const std::string& hex) {
  if (hex.size() != 64) return Error::configuration("ORDERSVC_MASTER_KEY must be 64 hex digits (32 bytes)");
  Key key{};
  for (std::size_t i = 0; i < 32; ++i) {
    unsigned value = 0;
    if (std::sscanf(hex.c_str() + 2 * i, "%2x", &value) != 1) {
      return Error::configuration("ORDERSVC_MASTER_KEY must be 64 hex digits (32 bytes)");
    }
    key[i] = static_cast<std::uint8_t>(value);
  }
  return key;
}

Result<std::string> SecretBox::seal(const std::string& plaintext, const std::string& associatedData) const {
  unsigned char nonce[kNonceBytes];
  if (RAND_bytes(nonce, sizeof nonce) != 1) return Error::internal("no randomness for a nonce");
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::vector<unsigned char> out(plaintext.size() + 16);
  int len = 0, total = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(associatedData.data()),
                        static_cast<int>(associatedData.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data(), &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1) {
    return Error::internal("encryption failed");
  }
  total = len;
  unsigned char tag[kTagBytes];
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + total, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) != 1) {
    return Error::internal("encryption failed");
  }
  total += len;
  std::string raw(reinterpret_cast<const char*>(nonce), kNonceBytes);
  raw.append(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(total));
  raw.append(reinterpret_cast<const char*>(tag), kTagBytes);
  return std::string(kPrefix) + encodeBase64(raw);
}

Result<std::string> SecretBox::open(const std::string& sealed, const std::string& associatedData) const {
  if (sealed.rfind(kPrefix, 0) != 0) return Error::invalidArgument("not a sealed secret");
  std::string raw;
  try {
    raw = decodeBase64(sealed.substr(3));
  } catch (const std::exception&) {
    return Error::invalidArgument("sealed secret is not base64");
  }
  if (raw.size() < kNonceBytes + kTagBytes) return Error::invalidArgument("sealed secret too short");
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  const std::size_t cipherBytes = raw.size() - kNonceBytes - kTagBytes;
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::vector<unsigned char> out(cipherBytes + 16);
  int len = 0, total = 0;
  unsigned char tag[kTagBytes];
  std::memcpy(tag, bytes + kNonceBytes + cipherBytes, kTagBytes);
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), bytes) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(associatedData.data()),
                        static_cast<int>(associatedData.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out.data(), &len, bytes + kNonceBytes, static_cast<int>(cipherBytes)) != 1) {
    return Error::internal("decryption failed");
  }
  total = len;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out.data() + total, &len) != 1) {
    return Error::permissionDenied("sealed secret failed authentication (wrong key or tampered)");
  }
  total += len;
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(total));
}

}  // namespace ordersvc::plugins
