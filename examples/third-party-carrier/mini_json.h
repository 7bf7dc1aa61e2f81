// mini_json.h -- a small, strict JSON reader for the few fields this plugin needs.
//
// Parses a whole document (RFC 8259) into a tree; anything malformed, nested deeper than
// kMaxDepth, or an object with a repeated key is rejected rather than guessed at.
// Numbers keep their text; asInt64() accepts only integers that fit in int64_t.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace acme::json {

struct Value {
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;
  bool boolean = false;
  std::string text;                                    // String: the decoded string; Number: the literal as written
  std::vector<Value> items;                            // Array
  std::vector<std::pair<std::string, Value>> members;  // Object, in document order

  bool isObject() const { return type == Type::Object; }
  bool isArray() const { return type == Type::Array; }
  bool isString() const { return type == Type::String; }
  // The member `key` of an object, or nullptr (also when this is not an object).
  const Value* find(std::string_view key) const;
  // The integer value of a number written without fraction or exponent.
  std::optional<int64_t> asInt64() const;
};

constexpr int kMaxDepth = 32;

// The parsed document, or nullopt with a short reason in `error` (when given).
std::optional<Value> parse(std::string_view text, std::string* error = nullptr);

// `text` as a JSON string literal, quotes included.
std::string quote(std::string_view text);

}  // namespace acme::json
