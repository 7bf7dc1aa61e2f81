#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.h"
#include "platform/http/route_table.h"
#include "platform/storage/migration.h"

namespace ordersvc::platform {

// A periodic job of a module: run every JOBS_INTERVAL_SECONDS on one thread, in
// registration order, with the most rows one run may handle. It claims its rows with
// SKIP LOCKED, so several processes may run it at once, and returns how many rows it
// changed; the runner logs the count and any error. It never throws.
struct Job {
  std::string name;  // "reservation-expiry"
  std::function<Result<int>(int batch)> run;
};

// An event the service consumes from the broker (routing key = type), handled in the
// module's own transaction. Errors make the message redelivered.
struct EventConsumer {
  std::string eventType;
  std::function<Status(const std::string& payloadJson)> handle;
};

// What a module adds to the service. The app hands one to each module in turn while
// it is being built; afterwards it is read-only.
// Thread-safety: one thread, before serving.
class ModuleRegistrar {
 public:
  void addRoutes(std::vector<api::RouteRow> rows, unsigned commonPolicies = api::kNoPolicy) {
    routes_.add(std::move(rows), commonPolicies);
  }
  void addJob(Job job) { jobs_.push_back(std::move(job)); }
  // Schema changes the module owns. Versions are global (one list for the whole
  // service, checked for gaps and duplicates by the app); released ones never change.
  void addMigrations(const std::vector<storage::Migration>& migrations) {
    migrations_.insert(migrations_.end(), migrations.begin(), migrations.end());
  }
  void addConsumer(EventConsumer consumer) { consumers_.push_back(std::move(consumer)); }

  const api::RouteTable& routes() const { return routes_; }
  const std::vector<Job>& jobs() const { return jobs_; }
  const std::vector<storage::Migration>& migrations() const { return migrations_; }
  const std::vector<EventConsumer>& consumers() const { return consumers_; }

 private:
  api::RouteTable routes_;
  std::vector<Job> jobs_;
  std::vector<storage::Migration> migrations_;
  std::vector<EventConsumer> consumers_;
};

// One capability of the order lifecycle (catalog, carts, checkout, orders, ...): a
// folder under src/modules/ that registers its routes, jobs, migrations and consumers.
// A module reaches another only through that module's service interface.
class Module {
 public:
  virtual ~Module() = default;
  virtual std::string_view name() const = 0;
  // Adds the module's routes, jobs, migrations and consumers. Called once, before the
  // schema is migrated: it must not touch the database.
  virtual void registerWith(ModuleRegistrar& registrar) = 0;
  // Called once the schema is current, before serving (seed data, warm-up). Errors stop
  // start-up.
  virtual Status start() { return Status::ok(); }
};

}  // namespace ordersvc::platform
