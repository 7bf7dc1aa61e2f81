// Lenient reading of the JSON Stripe sends (API answers, error bodies, webhook events).
// Unlike common::JsonObjectReader, which checks what the host sends against a schema,
// this reads what a provider sends: Stripe writes null for "not set" and adds members in
// new versions, so null reads as absent and unknown members are ignored. A member of the
// wrong type also reads as absent; the caller decides what it cannot do without.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

namespace ordersvc::plugins::stripe {

class StripeObject {
 public:
  explicit StripeObject(Poco::JSON::Object::Ptr object) : object_(std::move(object)) {}

  // The object of a JSON text whose top level is an object; nullopt for anything else.
  static std::optional<StripeObject> parse(std::string_view text);

  std::optional<std::string> string(const std::string& key) const;
  // A non-empty string of at most `maxLength` bytes: what an id must be to serve as a
  // reference (common.json identifier).
  std::optional<std::string> id(const std::string& key, std::size_t maxLength = 200) const;
  std::optional<int64_t> integer(const std::string& key) const;
  std::optional<bool> boolean(const std::string& key) const;
  std::optional<StripeObject> object(const std::string& key) const;
  // The objects of an array member (non-objects skipped); empty when absent.
  std::vector<StripeObject> objects(const std::string& key) const;

  const Poco::JSON::Object::Ptr& raw() const { return object_; }

 private:
  Poco::JSON::Object::Ptr object_;
};

}  // namespace ordersvc::plugins::stripe
