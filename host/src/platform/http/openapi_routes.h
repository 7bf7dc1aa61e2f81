#pragma once

#include <string>
#include <vector>

#include "platform/http/route_table.h"

namespace ordersvc::api {

// The places the OpenAPI document of the REST API is looked for, in order (the first
// that exists wins):
//   1. api/openapi.json under the working directory (a source checkout, scripts/run.sh);
//   2. <prefix>/<datadir>/ordersvc/openapi.json for a binary installed as
//      <prefix>/bin/ordersvc (CMAKE_INSTALL_DATADIR at build time, usually "share"; an
//      absolute datadir is used as it is).
// `executablePath` is the binary's path as Poco's application.path gives it.
std::vector<std::string> openApiDocumentCandidates(const std::string& executablePath);

// Registers GET /openapi.json: no authentication, application/json, the file's bytes
// as they are (no envelope). The document is read and checked to be JSON once, here;
// a later edit of the file is served after a restart. When no candidate exists, or the
// file cannot be read or is not JSON, a warning is logged and the route answers 404
// NOT_FOUND with a message naming the places looked at, so the service still starts.
// Call before serving (Router::add); the handler is then safe from any thread.
void addOpenApiRoutes(RouteTable& table, const std::string& executablePath);

}  // namespace ordersvc::api
