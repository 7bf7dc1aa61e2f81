#include "platform/http/authenticator.h"

#include <fstream>
#include <sstream>

#include <Poco/Crypto/RSAKey.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

namespace ordersvc::api {
namespace {

constexpr const char* kSecret = "unit-secret-unit-secret-unit-secret-0123";

Request withToken(const std::string& jwt) {
  Request r;
  r.headers["authorization"] = "Bearer " + jwt;
  return r;
}

std::string signed_(const std::string& algorithm, Poco::JWT::Signer& signer, long expOffsetSeconds,
                    std::optional<long> nbfOffsetSeconds = std::nullopt) {
  Poco::JWT::Token token;
  token.setSubject("u1");
  token.payload().set("org_id", std::string("demo"));
  Poco::JSON::Array::Ptr roles = new Poco::JSON::Array;
  roles->add("customer");
  token.payload().set("roles", roles);
  Poco::Timestamp now;
  token.setExpiration(now + Poco::Timespan(expOffsetSeconds, 0));
  if (nbfOffsetSeconds) token.setNotBefore(now + Poco::Timespan(*nbfOffsetSeconds, 0));
  return signer.sign(token, algorithm);
}

TEST(AuthenticatorTest, Hs256WithPlainRoleNamesAndBoundedSkew) {
  Authenticator auth(kSecret, "");
  auth.setLeeway(std::chrono::seconds(30));
  Poco::JWT::Signer hs(kSecret);
  const auto ok = auth.authenticate(withToken(signed_(Poco::JWT::Signer::ALGO_HS256, hs, 60)));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->organizationId, "demo");
  EXPECT_TRUE(ok->hasRole("order.customer"));  // "customer" is normalised
  EXPECT_TRUE(auth.authenticate(withToken(signed_(Poco::JWT::Signer::ALGO_HS256, hs, -10))));    // within skew
  EXPECT_FALSE(auth.authenticate(withToken(signed_(Poco::JWT::Signer::ALGO_HS256, hs, -120))));  // expired
  EXPECT_TRUE(auth.authenticate(withToken(signed_(Poco::JWT::Signer::ALGO_HS256, hs, 600, 20))));
  EXPECT_FALSE(auth.authenticate(withToken(signed_(Poco::JWT::Signer::ALGO_HS256, hs, 600, 120))));  // not yet
  Poco::JWT::Signer other("another-secret-another-secret-0123456789");
  EXPECT_FALSE(auth.authenticate(withToken(signed_(Poco::JWT::Signer::ALGO_HS256, other, 60))));
}

TEST(AuthenticatorTest, Rs256WithThePublicKeyOnlyAndNoAlgorithmConfusion) {
  Poco::SharedPtr<Poco::Crypto::RSAKey> pair =
      new Poco::Crypto::RSAKey(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
  Poco::TemporaryFile pem;
  {
    std::ofstream out(pem.path());
    pair->save(&out);  // public key only
  }
  Authenticator auth(kSecret, "");
  ASSERT_TRUE(auth.acceptRs256(pem.path()));
  Poco::JWT::Signer rs(pair);
  const auto ok = auth.authenticate(withToken(signed_(Poco::JWT::Signer::ALGO_RS256, rs, 60)));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->subject, "u1");
  // The public key used as an HMAC secret must not verify.
  std::ostringstream publicPem;
  pair->save(&publicPem);
  Poco::JWT::Signer confused(publicPem.str());
  EXPECT_FALSE(auth.authenticate(withToken(signed_(Poco::JWT::Signer::ALGO_HS256, confused, 60))));
  // Another key pair is refused; an unreadable key file is a configuration error.
  Poco::SharedPtr<Poco::Crypto::RSAKey> stranger =
      new Poco::Crypto::RSAKey(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
  Poco::JWT::Signer strangerSigner(stranger);
  EXPECT_FALSE(auth.authenticate(withToken(signed_(Poco::JWT::Signer::ALGO_RS256, strangerSigner, 60))));
  EXPECT_EQ(auth.acceptRs256("/nonexistent.pem").error().code, ErrorCode::Configuration);
  // HS256 still works beside it.
  Poco::JWT::Signer hs(kSecret);
  EXPECT_TRUE(auth.authenticate(withToken(signed_(Poco::JWT::Signer::ALGO_HS256, hs, 60))));
}

}  // namespace
}  // namespace ordersvc::api
