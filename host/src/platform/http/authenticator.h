#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "kernel/result.h"
#include "platform/http/http_types.h"

namespace ordersvc::api {

// Who is calling, from a verified bearer token.
struct Principal {
  std::string subject;             // "sub"
  std::string organizationId;      // "org_id"; empty for platform staff
  std::vector<std::string> roles;  // "roles": order.customer, order.operator, order.manager, order.admin

  bool hasRole(const std::string& role) const;
};

// Verifies `Authorization: Bearer <JWT>` tokens signed with HS256 and the shared secret
// (JWT_SECRET). Only HS256 is accepted (no "none", no algorithm confusion); "exp" is
// required and checked with a small leeway; "nbf" and "iss" when present.
//
// Thread-safety: immutable after construction; any thread.
class Authenticator {
 public:
  Authenticator(std::string secret, std::string issuer);
  ~Authenticator();
  Authenticator(Authenticator&&) noexcept;

  // Also accepts RS256 tokens signed with the private half of this PEM public key
  // (JWT_PUBLIC_KEY_FILE), e.g. from an identity provider. HS256 stays verified with the
  // secret only, so the public key can never be used as an HMAC secret (algorithm
  // confusion). Errors: Configuration when the file is not a readable RSA public key.
  Status acceptRs256(const std::string& publicKeyPemPath);
  // Clock skew allowed on exp and nbf (JWT_LEEWAY_SECONDS; default 30 s).
  void setLeeway(std::chrono::seconds leeway) { leeway_ = leeway; }

  // Errors: Unauthenticated (no, malformed, badly signed or expired token).
  Result<Principal> authenticate(const Request& request) const;

  // Authenticates and checks that the caller has `role`. Errors: Unauthenticated,
  // PermissionDenied (naming the role needed).
  Result<Principal> require(const Request& request, const std::string& role) const;

  // Signs a token (for the CLI's --issue-token and for tests).
  std::string issue(const Principal& principal, std::chrono::seconds lifetime) const;

 private:
  std::string secret_;
  std::string issuer_;
  std::chrono::seconds leeway_{30};
  struct RsaVerifier;
  std::unique_ptr<RsaVerifier> rsa_;
};

// The response for an authentication failure: 401 with WWW-Authenticate, or 403.
Response authErrorResponse(const Error& error);

// Any Error as a response: authentication failures as above, others in the envelope with
// error.details taken from Error::detailsJson.
Response failureResponse(const Error& error);

}  // namespace ordersvc::api
