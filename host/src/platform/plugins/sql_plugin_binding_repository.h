#pragma once

#include "platform/plugins/plugin_binding.h"
#include "platform/storage/database.h"

namespace ordersvc::storage {

// PluginBindingRepository over Poco::Data (SQLite and PostgreSQL).
class SqlPluginBindingRepository final : public plugins::PluginBindingRepository {
 public:
  explicit SqlPluginBindingRepository(Database& database) : database_(database) {}

  Result<std::vector<plugins::PluginBinding>> listForOrganization(const std::string& organizationId) override;
  Result<std::vector<plugins::PluginBinding>> listAll() override;
  Result<plugins::PluginBinding> find(const std::string& organizationId, const std::string& instanceId) override;
  Result<plugins::PluginBinding> save(const plugins::PluginBinding& binding, std::optional<int64_t> expectedRevision,
                                      const std::string& now) override;
  Status remove(const std::string& organizationId, const std::string& instanceId) override;

 private:
  Result<std::vector<plugins::PluginBinding>> query(const std::string& where, const std::vector<std::string>& params);
  Database& database_;
};

}  // namespace ordersvc::storage
