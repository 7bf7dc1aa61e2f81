#include "platform/http/http_types.h"

#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

namespace ordersvc::api {

Response successResponse(const Poco::Dynamic::Var& data, int status) {
  Poco::JSON::Object envelope(Poco::JSON_PRESERVE_KEY_ORDER);
  envelope.set("status", "success");
  envelope.set("data", data);
  std::ostringstream out;
  envelope.stringify(out);
  return Response{status, out.str(), "application/json", {}};
}

Response errorResponse(const Error& error, const Poco::Dynamic::Var& details) {
  Poco::JSON::Object::Ptr detail = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  detail->set("code", std::string(errorCodeName(error.code)));
  detail->set("message", error.message);
  if (!details.isEmpty()) detail->set("details", details);
  Poco::JSON::Object envelope(Poco::JSON_PRESERVE_KEY_ORDER);
  envelope.set("status", "error");
  envelope.set("error", detail);
  std::ostringstream out;
  envelope.stringify(out);
  return Response{httpStatusFor(error.code), out.str(), "application/json", {}};
}

}  // namespace ordersvc::api
