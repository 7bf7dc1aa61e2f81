#include "service_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "test_env.h"

namespace ordersvc::testing {

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Only what a process needs to run; configuration comes from the test alone.
std::vector<std::string> baseEnvironment() {
  std::vector<std::string> env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
  for (const char* name : {"HOME", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TMPDIR"}) {
    if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
  }
  return env;
}

pid_t spawn(const std::map<std::string, std::string>& envMap, const std::vector<std::string>& args,
            const std::string& workDir, const std::string& outPath, const std::string& errPath) {
  std::vector<std::string> env = baseEnvironment();
  for (const auto& [key, value] : envMap) env.push_back(key + "=" + value);
  std::vector<std::string> argv = {serviceBinary()};
  argv.insert(argv.end(), args.begin(), args.end());

  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> argvp;
  for (auto& a : argv) argvp.push_back(a.data());
  argvp.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0 || ::chdir(workDir.c_str()) != 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execve(argvp[0], argvp.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

std::optional<int> waitPid(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return -WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < deadline);
  return std::nullopt;
}

}  // namespace

std::string serviceBinary() {
  return ORDERSVC_BINARY;
}

ServiceProcess::ServiceProcess(Options options) : options_(std::move(options)) {
  workDir_ = options_.workDir.empty() ? makeTempDir("ordersvc_test") : options_.workDir;
  readyFile_ = workDir_ + "/ready.json";
  Poco::File(readyFile_).exists() && (Poco::File(readyFile_).remove(), true);
  auto env = options_.env;
  env.try_emplace("HTTP_PORT", "0");
  env.try_emplace("GRPC_PORT", "0");
  env.try_emplace("HTTP_BIND_ADDRESS", "127.0.0.1");
  env.try_emplace("GRPC_BIND_ADDRESS", "127.0.0.1");
  env.try_emplace("DATA_DIR", workDir_ + "/data");
  auto args = options_.args;
  args.push_back("--ready-file=" + readyFile_);
  pid_ = spawn(env, args, workDir_, workDir_ + "/stdout.log", workDir_ + "/stderr.log");
  if (options_.waitUntilReady && !waitReady(options_.readyTimeout)) {
    const std::string out = stdoutText(), err = stderrText();
    throw std::runtime_error("ordersvc did not become ready\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err);
  }
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0 && !exitCode_) {
    ::kill(pid_, SIGKILL);
    waitPid(pid_, std::chrono::seconds(10));
  }
}

bool ServiceProcess::waitReady(std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Poco::File(readyFile_).exists()) {
      Poco::JSON::Parser parser;
      auto ready = parser.parse(readFile(readyFile_)).extract<Poco::JSON::Object::Ptr>();
      httpPort_ = ready->getValue<int>("http_port");
      grpcPort_ = ready->getValue<int>("grpc_port");
      return true;
    }
    if (auto code = waitPid(pid_, std::chrono::milliseconds(0))) {
      exitCode_ = code;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

void ServiceProcess::signal(int signo) {
  if (pid_ > 0 && !exitCode_) ::kill(pid_, signo);
}

std::optional<int> ServiceProcess::waitExit(std::chrono::seconds timeout) {
  if (!exitCode_) exitCode_ = waitPid(pid_, timeout);
  return exitCode_;
}

std::string ServiceProcess::stdoutText() const {
  return readFile(workDir_ + "/stdout.log");
}
std::string ServiceProcess::stderrText() const {
  return readFile(workDir_ + "/stderr.log");
}

ProcessOutcome runService(const std::map<std::string, std::string>& env, const std::vector<std::string>& args,
                          std::chrono::seconds timeout, const std::string& workDir) {
  const std::string dir = workDir.empty() ? makeTempDir("ordersvc_run") : workDir;
  auto fullEnv = env;
  fullEnv.try_emplace("DATA_DIR", dir + "/data");
  const pid_t pid = spawn(fullEnv, args, dir, dir + "/stdout.log", dir + "/stderr.log");
  ProcessOutcome outcome;
  if (auto code = waitPid(pid, timeout)) {
    outcome.exitCode = *code;
  } else {
    ::kill(pid, SIGKILL);
    waitPid(pid, std::chrono::seconds(10));
    outcome.exitCode = -1000;  // timed out
  }
  outcome.stdoutText = readFile(dir + "/stdout.log");
  outcome.stderrText = readFile(dir + "/stderr.log");
  return outcome;
}

HttpResult httpRequest(int port, const std::string& method, const std::string& path, const std::string& body,
                       const std::map<std::string, std::string>& headers, std::chrono::seconds timeout) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResult result;
  result.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, result.body);
  for (const auto& [name, value] : response) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.headers[lower] = value;
  }
  return result;
}

}  // namespace ordersvc::testing
