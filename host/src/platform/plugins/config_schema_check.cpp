#include "platform/plugins/config_schema_check.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

namespace ordersvc::plugins {

std::vector<SchemaProblem> checkAgainstSchema(const std::string& schemaJson, const std::string& configJson) {
  rapidjson::Document schemaDocument;
  if (schemaDocument.Parse(schemaJson.c_str(), schemaJson.size()).HasParseError()) {
    return {{"", "the plugin's configuration schema is not valid JSON"}};
  }
  rapidjson::Document config;
  if (config.Parse(configJson.c_str(), configJson.size()).HasParseError()) {
    return {{"", std::string("configuration is not JSON: ") + rapidjson::GetParseError_En(config.GetParseError())}};
  }
  const rapidjson::SchemaDocument schema(schemaDocument);
  rapidjson::SchemaValidator validator(schema);
  if (config.Accept(validator)) return {};
  rapidjson::StringBuffer documentPointer, schemaPointer;
  validator.GetInvalidDocumentPointer().StringifyUriFragment(documentPointer);
  validator.GetInvalidSchemaPointer().StringifyUriFragment(schemaPointer);
  std::string path = documentPointer.GetString();
  if (!path.empty() && path[0] == '#') path.erase(0, 1);  // URI fragment "#/a/b" -> pointer "/a/b"
  return {{path, std::string("violates \"") + validator.GetInvalidSchemaKeyword() + "\" of the plugin's schema (" +
                     schemaPointer.GetString() + ")"}};
}

}  // namespace ordersvc::plugins
