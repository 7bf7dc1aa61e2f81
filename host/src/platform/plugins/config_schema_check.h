#pragma once

#include <string>
#include <vector>

namespace ordersvc::plugins {

struct SchemaProblem {
  std::string path;  // JSON pointer into the configuration, "" for the root
  std::string message;
};

// Checks `configJson` against a plugin's configuration schema (its manifest's
// config_schema) before the plugin sees it, so a plugin that forgets to validate
// still cannot be handed a configuration its own schema forbids. RapidJSON's
// validator implements JSON Schema draft 4 keywords (type, properties, required,
// enum, minimum, pattern, additionalProperties, items, $ref to "#/..."); newer
// keywords are ignored, which only makes this check more lenient than the plugin's.
// Returns the problems found; empty when valid. A schema that is not JSON yields a
// problem at path "" saying so.
std::vector<SchemaProblem> checkAgainstSchema(const std::string& schemaJson, const std::string& configJson);

}  // namespace ordersvc::plugins
