#include "platform/plugins/plugin_signature.h"

#include <fstream>
#include <memory>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "platform/plugins/base64_text.h"

namespace ordersvc::plugins {

namespace {

using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using MdContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::notFound("cannot open " + path);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string toPem(EVP_PKEY* key, bool privateKey) {
  Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (privateKey) {
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio.get(), key);
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

Pkey fromPem(const std::string& pem, bool privateKey) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  EVP_PKEY* key = privateKey ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                             : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  return Pkey(key, &EVP_PKEY_free);
}

}  // namespace

Result<Ed25519KeyPair> generateEd25519KeyPair() {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr),
                                                                  &EVP_PKEY_CTX_free);
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    return Error::internal("Ed25519 key generation failed");
  }
  Pkey key(raw, &EVP_PKEY_free);
  return Ed25519KeyPair{toPem(key.get(), true), toPem(key.get(), false)};
}

Result<std::string> signFile(const std::string& privatePem, const std::string& libraryPath) {
  auto bytes = readFile(libraryPath);
  if (!bytes) return bytes.error();
  Pkey key = fromPem(privatePem, true);
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
    return Error::invalidArgument("not an Ed25519 private key");
  MdContext md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::size_t length = 0;
  if (EVP_DigestSignInit(md.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(md.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(bytes->data()),
                     bytes->size()) != 1) {
    return Error::internal("signing failed");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(bytes->data()), bytes->size()) != 1) {
    return Error::internal("signing failed");
  }
  signature.resize(length);
  return encodeBase64(signature);
}

Status verifyFile(const std::vector<std::string>& publicPems, const std::string& libraryPath,
                  const std::string& signatureBase64) {
  auto bytes = readFile(libraryPath);
  if (!bytes) return bytes.error();
  return verifyBytes(publicPems, *bytes, signatureBase64);
}

Status verifyBytes(const std::vector<std::string>& publicPems, const std::string& libraryBytes,
                   const std::string& signatureBase64) {
  const std::string* bytes = &libraryBytes;
  std::string signature;
  try {
    signature = decodeBase64(signatureBase64);
  } catch (const std::exception&) {
    return Error::invalidArgument("signature is not base64");
  }
  if (signature.size() != 64) return Error::invalidArgument("signature is not a base64 Ed25519 signature");
  for (const auto& pem : publicPems) {
    Pkey key = fromPem(pem, false);
    if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) continue;
    MdContext md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (EVP_DigestVerifyInit(md.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
        EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                         reinterpret_cast<const unsigned char*>(bytes->data()), bytes->size()) == 1) {
      return Status::ok();
    }
  }
  return Error::permissionDenied("signature does not verify against any of the " + std::to_string(publicPems.size()) +
                                 " publisher keys");
}

}  // namespace ordersvc::plugins
