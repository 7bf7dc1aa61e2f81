#include "platform/integrations/integration_probe.h"

namespace ordersvc::integrations {

std::string_view stateName(ProbeResult::State state) {
  switch (state) {
    case ProbeResult::State::Up:
      return "up";
    case ProbeResult::State::Down:
      return "down";
    case ProbeResult::State::NotConfigured:
      return "not_configured";
  }
  return "down";
}

}  // namespace ordersvc::integrations
