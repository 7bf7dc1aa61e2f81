#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <Poco/Dynamic/Var.h>

#include "kernel/error.h"

namespace ordersvc::api {

// What a handler sees of a request: already read, size-checked and routed.
struct Request {
  std::string method;
  std::string path;
  std::string query;
  std::string body;
  std::string requestId;
  std::string remoteAddress;                   // the peer's IP address
  std::map<std::string, std::string> params;   // from the route pattern
  std::map<std::string, std::string> headers;  // lower-cased names
  // Every header with its name as sent, duplicates kept (in Poco's order: by name), for
  // what verifies a signature over the raw request (provider webhooks).
  std::vector<std::pair<std::string, std::string>> rawHeaders;
};

// What a handler returns. JSON responses use the envelope helpers below.
struct Response {
  int status = 200;
  std::string body;
  std::string contentType = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<Response(const Request&)>;

// {"status":"success","data":<data>}
Response successResponse(const Poco::Dynamic::Var& data, int status = 200);

// {"status":"error","error":{"code":"NOT_FOUND","message":"…"}} with the status
// the catalogue maps the code to.
// `details`, when given, is added as error.details (e.g. the failing checks).
Response errorResponse(const Error& error, const Poco::Dynamic::Var& details = Poco::Dynamic::Var());

}  // namespace ordersvc::api
