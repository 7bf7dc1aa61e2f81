#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <Poco/File.h>
#include <Poco/Path.h>

#include "platform/plugins/plugin_manifest.h"
#include "test_env.h"

namespace ordersvc::testing {

// Fixture plugins built by tests/plugin_fixtures (ORDERSVC_TEST_PLUGINS_DIR/<case>/...).
inline std::string fixtureCase(const std::string& name) {
  return std::string(ORDERSVC_TEST_PLUGINS_DIR) + "/" + name;
}

// A fresh plugins directory holding copies of `<case>/<id>/<version>` for each given path.
inline std::string pluginsDirWith(const std::vector<std::string>& caseRelativePaths) {
  const std::string root = makeTempDir("ordersvc_plugins");
  for (const auto& relative : caseRelativePaths) {
    // relative: "good/echo/1.0.0" -> root/echo/1.0.0
    Poco::Path source(fixtureCase(relative));
    Poco::Path target(root);
    target.pushDirectory(Poco::Path(relative).directory(1));
    Poco::File(target).createDirectories();
    Poco::File(fixtureCase(relative)).copyTo(target.toString());
  }
  return root;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void writeFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

}  // namespace ordersvc::testing
