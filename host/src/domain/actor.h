#pragma once

#include <optional>
#include <string>

namespace ordersvc::services {

// Who asks for a change, as far as use cases care: the organization, the subject and
// what the roles allow. Built by the API from a verified token (or a guest cart token).
struct Actor {
  std::string organizationId;
  std::string subject;                       // token "sub"; empty for a guest
  bool staff = false;                        // operator, manager or admin
  bool manager = false;                      // manager or admin
  std::optional<std::string> cartTokenHash;  // a guest's proof of cart ownership
  std::string systemName;                    // a background job or a provider's webhook acting for the organization

  // The service itself acting for an organization (reconciliation, webhooks).
  static Actor system(const std::string& organizationId, const std::string& name) {
    Actor actor;
    actor.organizationId = organizationId;
    actor.staff = true;
    actor.manager = true;
    actor.systemName = name;
    return actor;
  }

  bool isGuest() const { return subject.empty(); }
  // For the timeline: "customer:u_1", "operator:u_9", "guest", "system:<job>".
  std::string label() const {
    if (!systemName.empty()) return "system:" + systemName;
    if (subject.empty()) return "guest";
    return (manager ? "manager:" : staff ? "operator:" : "customer:") + subject;
  }
};

}  // namespace ordersvc::services
