#pragma once

#include <chrono>
#include <string>

namespace ordersvc::integrations {

// What one check of an external system found.
struct ProbeResult {
  enum class State { Up, Down, NotConfigured };
  State state = State::NotConfigured;
  std::chrono::microseconds latency{0};
  std::string target;  // where it looked, with any password masked
  std::string detail;  // why it is down; empty when up
};

std::string_view stateName(ProbeResult::State state);  // "up", "down", "not_configured"

// A check of one external system (database, Redis, RabbitMQ, a gRPC service) for
// /health/integrations. A probe opens its own short-lived connection so it reports
// what a new connection would see, and never waits longer than `timeout`.
//
// Thread-safety: check() may run concurrently with other probes' checks.
class IntegrationProbe {
 public:
  virtual ~IntegrationProbe() = default;
  virtual std::string name() const = 0;
  virtual ProbeResult check(std::chrono::milliseconds timeout) = 0;
};

}  // namespace ordersvc::integrations
