#include "platform/http/authenticator.h"

#include <algorithm>
#include <fstream>

#include <Poco/Crypto/RSAKey.h>

#include <Poco/JSON/Parser.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Timestamp.h>

namespace ordersvc::api {

namespace {

Error unauthenticated(const std::string& why) {
  return Error::unauthenticated(why);
}

}  // namespace

bool Principal::hasRole(const std::string& role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

struct Authenticator::RsaVerifier {
  Poco::SharedPtr<Poco::Crypto::RSAKey> key;
};

Authenticator::Authenticator(std::string secret, std::string issuer)
    : secret_(std::move(secret)), issuer_(std::move(issuer)) {}
Authenticator::~Authenticator() = default;
Authenticator::Authenticator(Authenticator&&) noexcept = default;

Status Authenticator::acceptRs256(const std::string& publicKeyPemPath) {
  try {
    std::ifstream file(publicKeyPemPath);
    if (!file) return Error::configuration("JWT_PUBLIC_KEY_FILE " + publicKeyPemPath + " cannot be read");
    rsa_ = std::make_unique<RsaVerifier>(RsaVerifier{new Poco::Crypto::RSAKey(&file)});
    return Status::ok();
  } catch (const Poco::Exception& e) {
    return Error::configuration("JWT_PUBLIC_KEY_FILE " + publicKeyPemPath + " is not an RSA public key");
  }
}

Result<Principal> Authenticator::authenticate(const Request& request) const {
  const auto header = request.headers.find("authorization");
  if (header == request.headers.end()) return unauthenticated("missing bearer token");
  const std::string& value = header->second;
  if (value.size() < 8 || (value.compare(0, 7, "Bearer ") != 0 && value.compare(0, 7, "bearer ") != 0)) {
    return unauthenticated("Authorization must be 'Bearer <token>'");
  }
  const std::string jwt = value.substr(7);
  Poco::JWT::Token token;
  try {
    bool verified = false;
    if (rsa_) {
      try {
        Poco::JWT::Signer rsaSigner(rsa_->key);
        rsaSigner.setAlgorithms({Poco::JWT::Signer::ALGO_RS256});
        verified = rsaSigner.tryVerify(jwt, token);
      } catch (const Poco::Exception&) {
        verified = false;  // not an RS256 token: the HS256 check below decides
      }
    }
    if (!verified) {
      Poco::JWT::Signer signer(secret_);
      signer.setAlgorithms({Poco::JWT::Signer::ALGO_HS256});
      verified = signer.tryVerify(jwt, token);
    }
    if (!verified) return unauthenticated("invalid token signature");
  } catch (const Poco::Exception&) {
    return unauthenticated("malformed token");
  }
  const Poco::Timestamp now;
  const Poco::Timespan leeway(static_cast<long>(leeway_.count()), 0);
  if (!token.payload().has("exp")) return unauthenticated("token has no expiry");
  if (token.getExpiration() + leeway < now) return unauthenticated("token expired");
  if (token.payload().has("nbf") && token.getNotBefore() - leeway > now) return unauthenticated("token not yet valid");
  if (!issuer_.empty() && token.getIssuer() != issuer_) return unauthenticated("token issuer not accepted");

  Principal principal;
  principal.subject = token.getSubject();
  principal.organizationId = token.payload().optValue<std::string>("org_id", "");
  if (auto roles = token.payload().getArray("roles")) {
    for (std::size_t i = 0; i < roles->size(); ++i) {
      // "customer" and "order.customer" name the same role; keep one spelling inside.
      std::string role = roles->get(i).toString();
      if (role.find('.') == std::string::npos) role = "order." + role;
      principal.roles.push_back(std::move(role));
    }
  }
  if (principal.subject.empty()) return unauthenticated("token has no subject");
  return principal;
}

Result<Principal> Authenticator::require(const Request& request, const std::string& role) const {
  auto principal = authenticate(request);
  if (!principal) return principal;
  if (!principal->hasRole(role)) return Error::permissionDenied("role " + role + " required");
  return principal;
}

std::string Authenticator::issue(const Principal& principal, std::chrono::seconds lifetime) const {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setSubject(principal.subject);
  if (!issuer_.empty()) token.setIssuer(issuer_);
  const Poco::Timestamp now;
  token.setIssuedAt(now);
  token.setExpiration(now + Poco::Timespan(static_cast<long>(lifetime.count()), 0));
  if (!principal.organizationId.empty()) token.payload().set("org_id", principal.organizationId);
  Poco::JSON::Array::Ptr roles = new Poco::JSON::Array;
  for (const auto& role : principal.roles) roles->add(role);
  token.payload().set("roles", roles);
  Poco::JWT::Signer signer(secret_);
  return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

Response authErrorResponse(const Error& error) {
  Response response = errorResponse(error);
  if (error.code == ErrorCode::Unauthenticated) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

Response failureResponse(const Error& error) {
  if (error.code == ErrorCode::Unauthenticated || error.code == ErrorCode::PermissionDenied) {
    return authErrorResponse(error);
  }
  Poco::Dynamic::Var details;
  if (!error.detailsJson.empty()) {
    try {
      details = Poco::JSON::Parser().parse(error.detailsJson);
    } catch (const Poco::Exception&) {
      // Details are best effort; the code and message still reach the caller.
    }
  }
  return errorResponse(error, details);
}

}  // namespace ordersvc::api
