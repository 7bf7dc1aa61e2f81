// ordersvc-plugin: inspect, check, keygen and sign plugins.
//
//   ordersvc-plugin inspect <plugin_dir>
//   ordersvc-plugin check   <plugin_dir> [--samples FILE]
//   ordersvc-plugin keygen  <out_dir>            writes publisher.key (0600) and publisher.pub
//   ordersvc-plugin sign    <plugin_dir> <publisher.key>
//
// <plugin_dir> is an installed version: <plugins_dir>/<id>/<version>/ with plugin.json.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include "app/plugin_tool/conformance_check.h"
#include "osp/osp_entry.h"
#include "platform/logging/log.h"
#include "platform/plugins/elf_check.h"
#include "platform/plugins/plugin_manifest.h"
#include "platform/plugins/plugin_signature.h"

namespace {

using namespace ordersvc;

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int usage() {
  std::cerr << "usage: ordersvc-plugin inspect <plugin_dir>\n"
               "       ordersvc-plugin check <plugin_dir> [--samples FILE]\n"
               "       ordersvc-plugin keygen <out_dir>\n"
               "       ordersvc-plugin sign <plugin_dir> <publisher.key>\n";
  return 64;
}

int inspect(const std::string& dir) {
  const std::string text = readText(dir + "/plugin.json");
  auto manifest = plugins::PluginManifest::parse(text);
  if (!manifest) {
    std::cerr << manifest.error().message << "\n";
    return 1;
  }
  const std::string library = dir + "/" + manifest->library;
  auto digest = plugins::sha256OfFile(library);
  auto bytes = plugins::readLibraryFile(library);
  const Status elf = bytes ? plugins::checkElfSharedObject(*bytes) : Status(bytes.error());
  std::cout << "id:           " << manifest->id << "\n"
            << "name:         " << manifest->name << "\n"
            << "kind:         " << manifest->kind << "\n"
            << "version:      " << manifest->version.toString() << "\n"
            << "abi:          " << manifest->abiMajor << "." << manifest->abiMinMinor << "+ (host " << OSP_ABI_MAJOR
            << "." << OSP_ABI_MINOR << ")\n"
            << "library:      " << manifest->library << "\n"
            << "sha256:       " << manifest->sha256
            << (digest && *digest == manifest->sha256 ? " (matches)" : " (MISMATCH)") << "\n"
            << "elf:          " << (elf ? "ok" : elf.error().message) << "\n"
            << "signature:    " << (manifest->signature.empty() ? "none" : "present") << "\n"
            << "operations:   ";
  for (const auto& op : manifest->operations) std::cout << op << " ";
  std::cout << "\negress_hosts: ";
  for (const auto& host : manifest->egressHosts) std::cout << host << " ";
  std::cout << "\nconfig:       " << manifest->configSchemaJson << "\n";
  return digest && *digest == manifest->sha256 && elf ? 0 : 1;
}

int keygen(const std::string& outDir) {
  auto pair = plugins::generateEd25519KeyPair();
  if (!pair) {
    std::cerr << pair.error().message << "\n";
    return 1;
  }
  const std::string privatePath = outDir + "/publisher.key";
  const int fd = ::open(privatePath.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    std::cerr << "cannot create " << privatePath << " (exists?)\n";
    return 1;
  }
  const bool written =
      ::write(fd, pair->privatePem.data(), pair->privatePem.size()) == static_cast<ssize_t>(pair->privatePem.size());
  ::close(fd);
  std::ofstream(outDir + "/publisher.pub") << pair->publicPem;
  if (!written) return 1;
  std::cout << "wrote " << privatePath << " (keep it secret) and " << outDir << "/publisher.pub\n";
  return 0;
}

int sign(const std::string& dir, const std::string& keyPath) {
  const std::string manifestPath = dir + "/plugin.json";
  auto manifest = plugins::PluginManifest::parse(readText(manifestPath));
  if (!manifest) {
    std::cerr << manifest.error().message << "\n";
    return 1;
  }
  auto signature = plugins::signFile(readText(keyPath), dir + "/" + manifest->library);
  if (!signature) {
    std::cerr << signature.error().message << "\n";
    return 1;
  }
  auto root = Poco::JSON::Parser().parse(readText(manifestPath)).extract<Poco::JSON::Object::Ptr>();
  root->set("signature", *signature);
  std::ofstream out(manifestPath, std::ios::trunc);
  root->stringify(out, 2);
  out << "\n";
  std::cout << "signed " << manifest->id << "@" << manifest->version.toString() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage();
  logging::configure(logging::Level::Warn, logging::Format::Text);
  const std::string& command = args[0];
  if (command == "inspect" && args.size() == 2) return inspect(args[1]);
  if (command == "keygen" && args.size() == 2) return keygen(args[1]);
  if (command == "sign" && args.size() == 3) return sign(args[1], args[2]);
  if (command == "check" && (args.size() == 2 || (args.size() == 4 && args[2] == "--samples"))) {
    int failed = 0, passed = 0;
    const bool ok =
        tools::runConformance(args[1], args.size() == 4 ? args[3] : "", [&](bool pass, const std::string& what) {
          (pass ? passed : failed)++;
          std::cout << (pass ? "PASS " : "FAIL ") << what << "\n";
        });
    std::cout << passed << " passed, " << failed << " failed\n";
    return ok ? 0 : 1;
  }
  return usage();
}
