#include "platform/http/cached_rendering.h"

#include <Poco/JSON/Object.h>

#include "kernel/json_util.h"

namespace ordersvc::api {

std::string packCachedRendering(const CachedRendering& cached) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  if (cached.customerId) out->set("customer_id", *cached.customerId);
  if (cached.tokenHash) out->set("token_hash", *cached.tokenHash);
  out->set("data", cached.dataJson);
  return services::toJsonText(out);
}

std::optional<CachedRendering> unpackCachedRendering(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  try {
    const Poco::JSON::Object::Ptr in = services::parseJsonObject(*text);
    CachedRendering cached;
    if (in->has("customer_id")) cached.customerId = in->getValue<std::string>("customer_id");
    if (in->has("token_hash")) cached.tokenHash = in->getValue<std::string>("token_hash");
    cached.dataJson = in->getValue<std::string>("data");
    return cached;
  } catch (...) {
    return std::nullopt;
  }
}

Response renderedSuccess(const std::string& dataJson, bool fromCache) {
  Response response;
  response.body = "{\"status\":\"success\",\"data\":" + dataJson + "}";
  response.headers.emplace_back("X-Cache", fromCache ? "hit" : "miss");
  return response;
}

}  // namespace ordersvc::api
