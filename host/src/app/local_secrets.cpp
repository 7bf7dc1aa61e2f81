#include "app/local_secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/RandomStream.h>

namespace ordersvc::app {

namespace {

std::string randomHex(std::size_t bytes) {
  Poco::RandomInputStream random;
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto byte = static_cast<unsigned char>(random.get());
    out += digits[byte >> 4];
    out += digits[byte & 0xf];
  }
  return out;
}

}  // namespace

// Reads DATA_DIR/<name>, creating it with `bytes` random bytes (hex) and mode 0600 first.
static Result<std::string> localSecretFile(const config::Settings& settings, const std::string& name,
                                           std::size_t bytes) {
  const Poco::Path dir = Poco::Path(settings.get("DATA_DIR")).makeAbsolute();
  Poco::File(dir).createDirectories();
  const std::string path = Poco::Path(dir, name).toString();
  // O_EXCL: if two processes start at once, one creates the file and both read it.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    const std::string secret = randomHex(bytes);
    const bool written = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size());
    ::close(fd);
    if (!written) return Error::internal("cannot write " + path);
  }
  std::ifstream in(path);
  std::string secret;
  std::getline(in, secret);
  if (secret.size() < 2 * bytes) return Error::internal("cannot read a usable secret from " + path);
  return secret;
}

Result<std::string> resolveJwtSecret(const config::Settings& settings) {
  if (settings.isSet("JWT_SECRET")) return settings.get("JWT_SECRET");
  return localSecretFile(settings, "jwt.secret", 32);
}

Result<std::string> resolveMasterKeyHex(const config::Settings& settings) {
  if (settings.isSet("ORDERSVC_MASTER_KEY")) return settings.get("ORDERSVC_MASTER_KEY");
  return localSecretFile(settings, "master.key", 32);
}

std::vector<std::string> pluginDirectories(const config::Settings& settings, const std::string& executablePath) {
  std::vector<std::string> out;
  if (settings.isSet("PLUGINS_DIR")) {
    std::stringstream list(settings.get("PLUGINS_DIR"));
    for (std::string dir; std::getline(list, dir, ':');) {
      if (!dir.empty()) out.push_back(Poco::Path(dir).makeAbsolute().toString());
    }
    return out;
  }
  Poco::Path buildTree(executablePath);
  buildTree.makeAbsolute().makeParent().makeParent().pushDirectory("plugins");
  if (Poco::File(buildTree).exists()) {
    out.push_back(buildTree.toString());
  } else {
    out.push_back("/usr/lib/ordersvc/plugins");
  }
  return out;
}

Result<plugins::SignaturePolicy> loadSignaturePolicy(const config::Settings& settings) {
  plugins::SignaturePolicy policy;
  policy.required = settings.getBool("PLUGINS_REQUIRE_SIGNATURE");
  std::stringstream list(settings.get("PLUGIN_PUBLISHER_KEYS"));
  for (std::string path; std::getline(list, path, ':');) {
    if (path.empty()) continue;
    std::ifstream in(path);
    if (!in) return Error::configuration("PLUGIN_PUBLISHER_KEYS: cannot read " + path);
    std::stringstream pem;
    pem << in.rdbuf();
    policy.publisherKeysPem.push_back(pem.str());
  }
  return policy;
}

}  // namespace ordersvc::app
