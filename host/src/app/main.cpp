#include <iostream>
#include <string>
#include <vector>

#include <Poco/Crypto/Crypto.h>
#include <Poco/Exception.h>

#include "app/ordersvc_app.h"

namespace {

// `ordersvc token --org demo --role customer [--role operator] [--sub alice] [--config F]`
// is the development-token command; it is spelled onto the --issue-token option so one
// code path signs every token. Returns false (usage) for an incomplete command.
bool translateTokenCommand(std::vector<std::string>& args) {
  if (args.size() < 2 || args[1] != "token") return true;
  std::string org, roles, sub;
  std::vector<std::string> rest{args[0]};
  for (std::size_t i = 2; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool hasValue = i + 1 < args.size();
    if (a == "--org" && hasValue)
      org = args[++i];
    else if (a == "--role" && hasValue)
      roles += (roles.empty() ? "" : ",") + args[++i];
    else if (a == "--sub" && hasValue)
      sub = args[++i];
    else
      rest.push_back(a);
  }
  if (roles.empty()) return false;
  rest.push_back("--issue-token=" + roles + (org.empty() ? "" : "@" + org));
  if (!sub.empty()) rest.push_back("--token-subject=" + sub);
  args = std::move(rest);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (!translateTokenCommand(args)) {
    std::cerr << "usage: ordersvc token --org ORG --role ROLE [--role ROLE] [--sub SUBJECT]\n";
    return 64;
  }
  // Poco's OpenSSL users (JWT signer, digests) each initialise OpenSSL and tear it down
  // again when the last one goes; under concurrent token checks that teardown raced and
  // aborted the process (Poco #1498, found by bench/order_flow.sh). One reference held for
  // the whole run keeps it initialised.
  Poco::Crypto::initializeCrypto();
  std::vector<char*> rawArgs;
  for (auto& a : args) rawArgs.push_back(a.data());
  ordersvc::app::OrderServiceApp app;
  // Options are parsed here rather than inside ServerApplication::run(argc, argv),
  // which reports a bad command line as EXIT_CONFIG (78); a usage error is 64, and
  // 78 stays reserved for invalid configuration values. ordersvc runs in the
  // foreground (systemd, containers), so the --daemon handling skipped here is unused.
  try {
    app.init(static_cast<int>(rawArgs.size()), rawArgs.data());
  } catch (const Poco::Exception& e) {
    std::cerr << "ordersvc: " << e.displayText() << " (see --help)\n";
    return 64;
  }
  try {
    return static_cast<Poco::Util::Application&>(app).run();  // public in the base class
  } catch (const std::exception& e) {
    std::cerr << "ordersvc: " << e.what() << "\n";
    return 70;
  }
}
