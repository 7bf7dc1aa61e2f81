#include "prism_server.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "test_env.h"

extern char** environ;

namespace ordersvc::testing {

namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int freeLoopbackPort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  return socket.address().port();
}

bool fileExists(const std::string& path) {
  return std::ifstream(path).good();
}

}  // namespace

std::string sharedSpecsDir() {
  if (const char* dir = std::getenv("ORDERSVC_SHARED_SPECS_DIR"); dir && *dir) return dir;
  return std::string(ORDERSVC_SOURCE_DIR) + "/../shared/specs";
}

std::string nodeToolsDir() {
  return std::string(ORDERSVC_SOURCE_DIR) + "/.tools/node";
}

PrismServer::PrismServer(const std::string& specPath) {
  const std::string prism = nodeToolsDir() + "/node_modules/.bin/prism";
  const std::string spec = sharedSpecsDir() + "/" + specPath;
  if (!fileExists(prism)) {
    failure_ = prism + " not found; run scripts/install-deps.sh --with-tests";
    return;
  }
  if (!fileExists(spec)) {
    failure_ = spec + " not found (the shared specs directory; ORDERSVC_SHARED_SPECS_DIR overrides it)";
    return;
  }
  logFile_ = makeTempDir("ordersvc_prism") + "/prism.log";
  // A free port can be taken between the probe and Prism's bind: try a few.
  for (int attempt = 0; attempt < 3 && port_ == 0; ++attempt) {
    const int port = freeLoopbackPort();
    const std::string portText = std::to_string(port);
    // Through sh only to redirect output; exec keeps the PID Prism's own.
    const std::string command = "DO_NOT_TRACK=1 SCARF_ANALYTICS=false exec '" + prism + "' mock -h 127.0.0.1 -p " +
                                portText + " '" + spec + "' >'" + logFile_ + "' 2>&1";
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    if (posix_spawn(&pid_, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ) != 0) {
      failure_ = "could not spawn prism";
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (readAll(logFile_).find("Prism is listening") != std::string::npos) {
        port_ = port;
        break;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (port_ == 0 && pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  if (port_ == 0) failure_ = "prism did not start on " + spec + ":\n" + readAll(logFile_);
}

PrismServer::~PrismServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 50 && waitpid(pid_, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
}

std::string PrismServer::log() const {
  return logFile_.empty() ? "" : readAll(logFile_);
}

std::vector<std::string> PrismServer::violations() const {
  std::vector<std::string> found;
  std::istringstream lines(log());
  for (std::string line; std::getline(lines, line);) {
    if (line.find("Violation") != std::string::npos || line.find("Invalid security scheme") != std::string::npos) {
      found.push_back(line);
    }
  }
  return found;
}

}  // namespace ordersvc::testing
