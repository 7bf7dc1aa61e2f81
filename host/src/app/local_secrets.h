#pragma once

#include <string>
#include <vector>

#include "kernel/result.h"
#include "platform/config/settings.h"
#include "platform/plugins/plugin_registry.h"

namespace ordersvc::app {

// JWT_SECRET, or for the embedded default a random secret kept in DATA_DIR/jwt.secret,
// created on first use with mode 0600 (never logged). Errors: Internal when the file
// cannot be read or created.
Result<std::string> resolveJwtSecret(const config::Settings& settings);

// ORDERSVC_MASTER_KEY (64 hex digits), or for the embedded default a random key kept in
// DATA_DIR/master.key, created with mode 0600 on first run. Errors: Configuration for a
// malformed key, Internal when the file cannot be read or created.
Result<std::string> resolveMasterKeyHex(const config::Settings& settings);

// PLUGINS_DIR split on ':', or the bundled plugins: <exe>/../plugins in a build tree,
// else /usr/lib/ordersvc/plugins.
std::vector<std::string> pluginDirectories(const config::Settings& settings, const std::string& executablePath);

// PLUGINS_REQUIRE_SIGNATURE and the PEM files named by PLUGIN_PUBLISHER_KEYS.
// Errors: Configuration naming a file that cannot be read.
Result<plugins::SignaturePolicy> loadSignaturePolicy(const config::Settings& settings);

}  // namespace ordersvc::app
