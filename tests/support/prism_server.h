#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace ordersvc::testing {

// A Prism mock server (the pinned @stoplight/prism-cli under .tools/node) serving a
// provider's published OpenAPI document from ../shared/specs on a free loopback port.
// Prism answers every request the document allows with 2xx and one it does not with
// 4xx and a "Violation" line in its log, so a test sends a plugin's real traffic to it
// and asserts that nothing was rejected. Started in the constructor (waits for
// "Prism is listening"); killed in the destructor.
class PrismServer {
 public:
  // specPath: relative to the shared specs directory (ORDERSVC_SHARED_SPECS_DIR, default
  // <repo>/../shared/specs), e.g. "payments/paypal/openapi/checkout_orders_v2.json".
  explicit PrismServer(const std::string& specPath);
  ~PrismServer();
  PrismServer(const PrismServer&) = delete;
  PrismServer& operator=(const PrismServer&) = delete;

  bool running() const { return port_ > 0; }
  // Why it is not running (missing tool or spec, did not start), for the test message.
  const std::string& failure() const { return failure_; }
  int port() const { return port_; }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Prism's log so far, and the lines that report a request the document does not allow.
  std::string log() const;
  std::vector<std::string> violations() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string logFile_;
  std::string failure_;
};

// Directory of the third-party specs (../shared/specs beside the repository).
std::string sharedSpecsDir();
// Directory of the pinned npm tools (<repo>/.tools/node).
std::string nodeToolsDir();

}  // namespace ordersvc::testing
