#pragma once

#include <string>
#include <vector>

#include "kernel/result.h"

namespace ordersvc::plugins {

// Ed25519 signatures over a plugin library's bytes, through OpenSSL. A publisher signs
// with its private key (ordersvc-plugin sign); the host, with PLUGINS_REQUIRE_SIGNATURE,
// loads only libraries whose plugin.json "signature" verifies against one of the
// configured publisher public keys (PLUGIN_PUBLISHER_KEYS).

struct Ed25519KeyPair {
  std::string privatePem;  // PKCS#8 PEM
  std::string publicPem;   // SubjectPublicKeyInfo PEM
};

// A fresh key pair. Errors: Internal.
Result<Ed25519KeyPair> generateEd25519KeyPair();

// Base64 signature of the file at `libraryPath`. Errors: InvalidArgument (bad key),
// NotFound (no file), Internal.
Result<std::string> signFile(const std::string& privatePem, const std::string& libraryPath);

// Ok when `signatureBase64` is a valid signature of the file by one of the keys.
// Errors: PermissionDenied naming how many keys were tried; InvalidArgument for a
// malformed signature; NotFound when the file is missing.
Status verifyFile(const std::vector<std::string>& publicPems, const std::string& libraryPath,
                  const std::string& signatureBase64);
Status verifyBytes(const std::vector<std::string>& publicPems, const std::string& bytes,
                   const std::string& signatureBase64);

}  // namespace ordersvc::plugins
