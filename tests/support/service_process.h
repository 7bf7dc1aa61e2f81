#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ordersvc::testing {

// A real `ordersvc` binary started for a test: its own working directory, an
// environment given in full (nothing leaks in from the caller's), HTTP and gRPC on
// free ports (HTTP_PORT=0, GRPC_PORT=0 read back from --ready-file), stdout and stderr
// captured to files. The destructor kills it if the test did not stop it.
class ServiceProcess {
 public:
  struct Options {
    std::map<std::string, std::string> env;  // configuration for this run
    std::vector<std::string> args;           // extra command-line arguments
    std::string workDir;                     // empty: a fresh temp dir
    bool waitUntilReady = true;
    std::chrono::seconds readyTimeout{60};
  };

  using Env = std::map<std::string, std::string>;
  explicit ServiceProcess(Options options);
  explicit ServiceProcess(Env env) : ServiceProcess(optionsWithEnv(std::move(env))) {}
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // Waits for the ready file; false if the process exited or the time ran out.
  bool waitReady(std::chrono::seconds timeout);

  int httpPort() const { return httpPort_; }
  int grpcPort() const { return grpcPort_; }
  pid_t pid() const { return pid_; }
  const std::string& workDir() const { return workDir_; }

  // Sends `signal` (SIGTERM by default).
  void signal(int signal);
  // Waits for exit; returns the exit code, or nullopt on time-out. -signo if killed.
  std::optional<int> waitExit(std::chrono::seconds timeout);

  std::string stdoutText() const;
  std::string stderrText() const;

 private:
  static Options optionsWithEnv(Env env) {
    Options options;
    options.env = std::move(env);
    return options;
  }
  Options options_;
  std::string workDir_;
  std::string readyFile_;
  pid_t pid_ = -1;
  std::optional<int> exitCode_;
  int httpPort_ = 0;
  int grpcPort_ = 0;
};

// Runs the binary to completion (for --help, --print-config, bad configuration).
struct ProcessOutcome {
  int exitCode = -1;
  std::string stdoutText;
  std::string stderrText;
};
ProcessOutcome runService(const std::map<std::string, std::string>& env, const std::vector<std::string>& args,
                          std::chrono::seconds timeout = std::chrono::seconds(60), const std::string& workDir = "");

// Minimal HTTP client for tests (Poco::Net underneath).
struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};
HttpResult httpRequest(int port, const std::string& method, const std::string& path, const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {},
                       std::chrono::seconds timeout = std::chrono::seconds(30));
inline HttpResult httpGet(int port, const std::string& path) {
  return httpRequest(port, "GET", path);
}

// Path of the ordersvc binary under test.
std::string serviceBinary();

}  // namespace ordersvc::testing
