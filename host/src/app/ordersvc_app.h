#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Poco/Util/ServerApplication.h>

#include "app/platform_runtime.h"
#include "platform/config/settings.h"
#include "platform/http/router.h"

namespace ordersvc::app {

// The ordersvc process (Poco ServerApplication): reads configuration, connects to the
// database (with bounded retries), migrates, serves REST and gRPC, and on
// SIGTERM/SIGINT stops accepting, lets in-flight requests finish within
// SHUTDOWN_GRACE_SECONDS, closes the pool and exits 0.
//
// Exit codes: 0 clean stop; 64 bad command line; 69 database unreachable at start-up;
// 70 migration or other start-up failure; 78 invalid configuration.
class OrderServiceApp final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const std::vector<std::string>& args) override;

 private:
  int serve(const config::Settings& settings);
  // Serves REST and gRPC until SIGTERM/SIGINT, then drains within SHUTDOWN_GRACE_SECONDS.
  int listenUntilStopped(const config::Settings& settings, api::Router& router, PlatformRuntime& runtime);
  void announceReady(const std::string& bindAddress, int httpPort, int grpcPort, std::string_view dialect);
  int issueToken(const config::Settings& settings, const std::string& spec);
  void printHelp() const;

  bool helpRequested_ = false;
  bool printConfigRequested_ = false;
  bool printRoutesRequested_ = false;  // --print-routes: serve() prints the router and returns
  bool versionRequested_ = false;
  std::optional<std::string> configFile_;
  std::optional<std::string> readyFile_;
  std::optional<std::string> issueTokenSpec_;
  std::optional<std::string> tokenSubject_;
};

}  // namespace ordersvc::app
