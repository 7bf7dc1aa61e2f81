// Typed, strict reading of a JSON document with Poco::JSON, reporting every problem at its
// JSON pointer instead of throwing. Plugins use it for requests (a problem becomes
// OSP_E_INVALID_ARGUMENT) and for configurations (problems become validate_config errors).
//
// The rules mirror the JSON Schemas in plugin-api/schemas/: unknown members are problems
// where the schema says additionalProperties: false (rejectUnknown), "integer" accepts
// 3 and 3.0 but not 3.5, and integers must fit in int64.
//
// Not thread-safe: a reader and its Problems belong to one call on one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "common/money.h"
#include "common/problems.h"

namespace ordersvc::plugins::common {

enum class Need { Optional, Required };

class JsonArrayReader;

// Reads members of one JSON object. Each accessor returns nullopt when the member is
// absent (adding "is required" if Need::Required) or has the wrong type (adding a
// problem); a present `null` counts as the wrong type.
class JsonObjectReader {
 public:
  JsonObjectReader(Poco::JSON::Object::Ptr object, std::string path, Problems& problems);

  // Adds a problem for every member whose name is not in `known`.
  void rejectUnknown(std::initializer_list<std::string_view> known) const;

  bool has(std::string_view key) const;
  std::vector<std::string> keys() const;
  std::string pathOf(std::string_view key) const { return pointerTo(path_, key); }
  const std::string& path() const { return path_; }
  Problems& problems() const { return *problems_; }
  const Poco::JSON::Object::Ptr& raw() const { return object_; }

  // A string of at least `minLength` and at most `maxLength` characters (code points).
  std::optional<std::string> string(std::string_view key, Need need, std::size_t minLength = 0,
                                    std::size_t maxLength = 100000) const;
  // A string equal to one of `allowed`.
  std::optional<std::string> oneOf(std::string_view key, Need need,
                                   std::initializer_list<std::string_view> allowed) const;
  std::optional<int64_t> integer(std::string_view key, Need need, int64_t min = std::numeric_limits<int64_t>::min(),
                                 int64_t max = std::numeric_limits<int64_t>::max()) const;
  std::optional<bool> boolean(std::string_view key, Need need) const;
  std::optional<JsonObjectReader> object(std::string_view key, Need need) const;
  std::optional<JsonArrayReader> array(std::string_view key, Need need, std::size_t minItems = 0,
                                       std::size_t maxItems = 100000) const;
  // {"value": integer >= minValue, "currency": "XXX"}, nothing else.
  std::optional<Money> money(std::string_view key, Need need,
                             int64_t minValue = std::numeric_limits<int64_t>::min()) const;

 private:
  // The member, or nullopt (with a problem if required).
  std::optional<Poco::Dynamic::Var> member(std::string_view key, Need need) const;

  Poco::JSON::Object::Ptr object_;
  std::string path_;
  Problems* problems_;
};

// Reads elements of one JSON array; same conventions as JsonObjectReader.
class JsonArrayReader {
 public:
  JsonArrayReader(Poco::JSON::Array::Ptr array, std::string path, Problems& problems);

  std::size_t size() const;
  std::string pathOf(std::size_t index) const { return pointerTo(path_, index); }
  const std::string& path() const { return path_; }
  Problems& problems() const { return *problems_; }

  std::optional<std::string> string(std::size_t index, std::size_t minLength = 0, std::size_t maxLength = 100000) const;
  std::optional<JsonObjectReader> object(std::size_t index) const;

 private:
  Poco::JSON::Array::Ptr array_;
  std::string path_;
  Problems* problems_;
};

// Checks parent["metadata"] (optional) as common.json#/$defs/metadata: at most 50 members,
// each a string of at most 500 characters.
void checkMetadata(const JsonObjectReader& parent);

// Parses `text` as a JSON document whose top level is an object. On failure adds a
// problem at "" and returns a null pointer; never throws.
Poco::JSON::Object::Ptr parseObject(std::string_view text, Problems& problems);

// parseObject, then a reader of the top level at "": how a plugin starts reading a
// request. nullopt (with the problem added) when the text is not a JSON object.
std::optional<JsonObjectReader> readObject(std::string_view text, Problems& problems);

// Reads a JSON value as an int64 the way JSON Schema's "integer" does (3 and 3.0, not
// 3.5), or nullopt. Exposed for the few places that read a Var directly.
std::optional<int64_t> toInt64(const Poco::Dynamic::Var& value);

}  // namespace ordersvc::plugins::common
