// api/openapi.json against the real binary: GET /openapi.json serves exactly the file, and
// the spec documents exactly the routes the server registers (`ordersvc --print-routes`).
// Routes under /debug/ (DEBUG_ROUTES=true, for tests) are not part of the API and are left
// out of the comparison. Runs on the embedded SQLite default: no server needed.
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "domain/order_status.h"
#include "kernel/error_code.h"
#include "service_process.h"
#include "test_env.h"

namespace ordersvc::testing {
namespace {

using Poco::JSON::Object;

const std::string kSpecPath = std::string(ORDERSVC_SOURCE_DIR) + "/api/openapi.json";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Object::Ptr parseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

Object::Ptr spec() {
  return parseObject(readFile(kSpecPath));
}

// A working directory laid out like a source checkout: api/openapi.json in it.
std::string workDirWithSpec() {
  const std::string dir = makeTempDir("ordersvc_openapi");
  Poco::File(dir + "/api").createDirectories();
  Poco::File(kSpecPath).copyTo(dir + "/api/openapi.json");
  return dir;
}

// Routes as "METHOD /pattern".
using RouteSet = std::set<std::string>;

RouteSet documentedRoutes(const Object::Ptr& document) {
  RouteSet out;
  const Object::Ptr paths = document->getObject("paths");
  for (const auto& [path, item] : *paths) {
    const Object::Ptr operations = item.extract<Object::Ptr>();
    for (const std::string method : {"get", "put", "post", "delete", "patch", "head", "options", "trace"}) {
      if (!operations->has(method)) continue;
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.insert(upper + " " + path);
    }
  }
  return out;
}

// The `METHOD /pattern` lines of --print-routes (anything else, such as a log line, is not
// a route).
RouteSet printedRoutes(const std::string& output) {
  RouteSet out;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    const auto space = line.find(' ');
    if (space == std::string::npos || space == 0 || line.compare(space + 1, 1, "/") != 0) continue;
    if (line.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != space) continue;
    out.insert(line);
  }
  return out;
}

bool isDebugRoute(const std::string& route) {
  return route.find(" /debug/") != std::string::npos;
}

std::string listOf(const RouteSet& routes) {
  std::string out;
  for (const auto& route : routes) out += "\n  " + route;
  return out.empty() ? " (none)" : out;
}

std::set<std::string> enumOf(const Object::Ptr& document, const std::string& schema) {
  std::set<std::string> out;
  const auto values = document->getObject("components")->getObject("schemas")->getObject(schema)->getArray("enum");
  for (std::size_t i = 0; values && i < values->size(); ++i) out.insert(values->getElement<std::string>(i));
  return out;
}

TEST(OpenApiTest, ServedDocumentIsTheFileWithoutAuthentication) {
  ServiceProcess::Options options;
  options.workDir = workDirWithSpec();
  ServiceProcess service(options);
  const auto response = httpGet(service.httpPort(), "/openapi.json");  // no Authorization header
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.headers.at("content-type"), "application/json");
  EXPECT_EQ(response.body, readFile(kSpecPath));
  const Object::Ptr served = parseObject(response.body);
  EXPECT_EQ(served->getValue<std::string>("openapi"), "3.1.0");
  EXPECT_TRUE(served->getObject("paths")->has("/openapi.json"));
}

TEST(OpenApiTest, MissingDocumentIs404AndStartUpWarns) {
  ServiceProcess service(ServiceProcess::Env{});  // a fresh working directory without api/
  const auto response = httpGet(service.httpPort(), "/openapi.json");
  EXPECT_EQ(response.status, 404);
  const Object::Ptr error = parseObject(response.body)->getObject("error");
  EXPECT_EQ(error->getValue<std::string>("code"), "NOT_FOUND");
  EXPECT_NE(error->getValue<std::string>("message").find("api/openapi.json"), std::string::npos) << response.body;
  EXPECT_NE(service.stdoutText().find("GET /openapi.json will answer 404"), std::string::npos) << service.stdoutText();
}

TEST(OpenApiTest, SpecDocumentsExactlyTheRoutesTheServerRegisters) {
  // DEBUG_ROUTES on, so the /debug/ exclusion below is exercised, not vacuous.
  const auto outcome = runService({{"DEBUG_ROUTES", "true"}}, {"--print-routes"});
  ASSERT_EQ(outcome.exitCode, 0) << outcome.stdoutText << outcome.stderrText;
  const RouteSet registered = printedRoutes(outcome.stdoutText);
  ASSERT_TRUE(registered.count("GET /openapi.json")) << outcome.stdoutText;
  ASSERT_TRUE(registered.count("GET /debug/sleep")) << outcome.stdoutText;

  const RouteSet documented = documentedRoutes(spec());
  RouteSet undocumented;
  RouteSet unserved;
  for (const auto& route : registered) {
    if (!isDebugRoute(route) && !documented.count(route)) undocumented.insert(route);
  }
  for (const auto& route : documented) {
    if (!registered.count(route)) unserved.insert(route);
  }
  EXPECT_TRUE(undocumented.empty() && unserved.empty())
      << "api/openapi.json and the server's routes differ.\nRegistered but not documented:" << listOf(undocumented)
      << "\nDocumented but not registered:" << listOf(unserved);
  for (const auto& route : documented) EXPECT_FALSE(isDebugRoute(route)) << route << " is for tests only";
}

TEST(OpenApiTest, EnumsMatchTheErrorCatalogueAndTheOrderStateMachine) {
  const Object::Ptr document = spec();
  std::set<std::string> codes;
  for (int code = static_cast<int>(ErrorCode::InvalidArgument); code <= static_cast<int>(kLastErrorCode); ++code) {
    codes.insert(std::string(errorCodeName(static_cast<ErrorCode>(code))));
  }
  EXPECT_EQ(enumOf(document, "ErrorCode"), codes);

  // Enumerators without explicit values run from 0 to the last one.
  std::set<std::string> statuses;
  for (int s = 0; s <= static_cast<int>(domain::OrderStatus::Refunded); ++s) {
    statuses.insert(std::string(domain::orderStatusName(static_cast<domain::OrderStatus>(s))));
  }
  EXPECT_EQ(enumOf(document, "OrderStatus"), statuses);
  std::set<std::string> actions;
  for (int a = 0; a <= static_cast<int>(domain::OrderAction::Refund); ++a) {
    actions.insert(std::string(domain::orderActionName(static_cast<domain::OrderAction>(a))));
  }
  EXPECT_EQ(enumOf(document, "OrderAction"), actions);
}

}  // namespace
}  // namespace ordersvc::testing
