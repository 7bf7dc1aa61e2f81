#pragma once

#include <optional>
#include <string>

namespace ordersvc::services {

// Who asks for a change, as far as use cases care: the organization, the subject and
// what the roles allow. Built by the API from a verified token (or a guest cart token).
struct Actor {
  std::string organizationId;
  std::string subject;        // token "sub"; empty for a guest
  bool staff = false;         // operator, manager or admin
  bool manager = false;       // manager or admin
  std::optional<std::string> cartTokenHash;  // a guest's proof of cart ownership

  bool isGuest() const { return subject.empty(); }
  // For the timeline: "customer:u_1", "operator:u_9", "guest", "system:<job>".
  std::string label() const {
    if (subject.empty()) return "guest";
    return (manager ? "manager:" : staff ? "operator:" : "customer:") + subject;
  }
};

}  // namespace ordersvc::services
