#pragma once

#include <optional>
#include <string>

#include "platform/http/http_types.h"

namespace ordersvc::api {

// A rendering kept in the shared cache: who may read it, and the JSON of `data`.
// Reads that hit the cache check the owner here instead of reading the database.
struct CachedRendering {
  std::optional<std::string> customerId;
  std::optional<std::string> tokenHash;  // a guest cart's token hash
  std::string dataJson;
};

std::string packCachedRendering(const CachedRendering& cached);
// nullopt for a miss, and for an entry that cannot be read (treated as a miss).
std::optional<CachedRendering> unpackCachedRendering(const std::optional<std::string>& text);

// The success envelope around JSON text already rendered; X-Cache says where it came from.
Response renderedSuccess(const std::string& dataJson, bool fromCache);

}  // namespace ordersvc::api
