#include "platform/http/openapi_routes.h"

#include <fstream>
#include <memory>
#include <sstream>

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include "platform/logging/log.h"

#ifndef ORDERSVC_INSTALL_DATADIR
#define ORDERSVC_INSTALL_DATADIR "share"
#endif

namespace ordersvc::api {

namespace {

constexpr const char* kSourceTreePath = "api/openapi.json";

// The document as served, or why there is none.
struct Document {
  std::string json;
  std::string path;     // where it was read from
  std::string problem;  // empty when json is the document
};

Document load(const std::vector<std::string>& candidates) {
  for (const auto& path : candidates) {
    if (!Poco::File(path).exists()) continue;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) return Document{"", path, "cannot read " + path};
    try {
      Poco::JSON::Parser().parse(text.str());
    } catch (const Poco::Exception& e) {
      return Document{"", path, path + " is not valid JSON: " + e.displayText()};
    }
    return Document{text.str(), path, ""};
  }
  std::string looked;
  for (const auto& path : candidates) looked += (looked.empty() ? "" : ", ") + path;
  return Document{"", "", "the OpenAPI document is not installed (looked for " + looked + ")"};
}

}  // namespace

std::vector<std::string> openApiDocumentCandidates(const std::string& executablePath) {
  std::vector<std::string> out = {kSourceTreePath};
  const Poco::Path dataDir(ORDERSVC_INSTALL_DATADIR);
  Poco::Path installed;
  if (dataDir.isAbsolute()) {
    installed = Poco::Path(dataDir).makeDirectory();
  } else if (!executablePath.empty()) {
    // <prefix>/bin/ordersvc -> <prefix>/<datadir>/
    installed = Poco::Path(executablePath).makeAbsolute().makeParent().popDirectory();
    installed.append(Poco::Path(ORDERSVC_INSTALL_DATADIR).makeDirectory());
  } else {
    return out;
  }
  installed.pushDirectory("ordersvc");
  installed.setFileName("openapi.json");
  out.push_back(installed.toString());
  return out;
}

void addOpenApiRoutes(RouteTable& table, const std::string& executablePath) {
  auto document = std::make_shared<const Document>(load(openApiDocumentCandidates(executablePath)));
  if (document->problem.empty()) {
    logging::info("OpenAPI document loaded",
                  {{"path", document->path}, {"bytes", static_cast<long long>(document->json.size())}});
  } else {
    logging::warn("GET /openapi.json will answer 404", {{"reason", document->problem}});
  }
  table.add(
      {"GET", "/openapi.json", Audience::Public, {}, kNoPolicy, [document](const services::Actor&, const Request&) {
         if (!document->problem.empty()) return errorResponse(Error::notFound(document->problem));
         return Response{200, document->json, "application/json", {}};
       }});
}

}  // namespace ordersvc::api
