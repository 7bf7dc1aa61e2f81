#include "platform/plugins/sql_plugin_binding_repository.h"

#include <Poco/Data/RecordSet.h>

#include "platform/storage/sql_errors.h"

namespace ordersvc::storage {

using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

Result<std::vector<plugins::PluginBinding>> SqlPluginBindingRepository::query(const std::string& where,
                                                                              const std::vector<std::string>& params) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  const Dialect& dialect = connection->dialect();
  try {
    std::vector<std::string> values = params;
    Poco::Data::Statement select(connection->session());
    select << dialect.sql(
        "SELECT instance_id, organization_id, plugin_id, kind, version_range, enabled, public_config, "
        "sealed_secrets, base_url_override, revision, " +
        dialect.timestampText("created_at") + ", " + dialect.timestampText("updated_at") + " FROM plugin_bindings " +
        where + " ORDER BY organization_id, instance_id");
    for (auto& value : values) select, use(value);
    select.execute();
    Poco::Data::RecordSet rows(select);
    std::vector<plugins::PluginBinding> out;
    for (std::size_t i = 0; i < rows.rowCount(); ++i) {
      plugins::PluginBinding b;
      b.instanceId = rows.value(0, i).convert<std::string>();
      b.organizationId = rows.value(1, i).convert<std::string>();
      b.pluginId = rows.value(2, i).convert<std::string>();
      b.kind = rows.value(3, i).convert<std::string>();
      b.versionRange = rows.value(4, i).convert<std::string>();
      b.enabled = rows.value(5, i).convert<int>() != 0;
      b.publicConfigJson = rows.value(6, i).convert<std::string>();
      b.sealedSecrets = rows.value(7, i).isEmpty() ? "" : rows.value(7, i).convert<std::string>();
      b.baseUrlOverride = rows.value(8, i).isEmpty() ? "" : rows.value(8, i).convert<std::string>();
      b.revision = rows.value(9, i).convert<int64_t>();
      b.createdAt = rows.value(10, i).convert<std::string>();
      b.updatedAt = rows.value(11, i).convert<std::string>();
      out.push_back(std::move(b));
    }
    return out;
  } catch (const std::exception& e) {
    return translateDatabaseError(e, *connection, "");
  }
}

Result<std::vector<plugins::PluginBinding>> SqlPluginBindingRepository::listForOrganization(
    const std::string& organizationId) {
  return query("WHERE organization_id = ?", {organizationId});
}

Result<std::vector<plugins::PluginBinding>> SqlPluginBindingRepository::listAll() {
  return query("", {});
}

Result<plugins::PluginBinding> SqlPluginBindingRepository::find(const std::string& organizationId,
                                                                const std::string& instanceId) {
  auto rows = query("WHERE organization_id = ? AND instance_id = ?", {organizationId, instanceId});
  if (!rows) return rows.error();
  if (rows->empty())
    return Error::notFound("plugin instance " + instanceId + " not found in organization " + organizationId);
  return rows->front();
}

Result<plugins::PluginBinding> SqlPluginBindingRepository::save(const plugins::PluginBinding& binding,
                                                                std::optional<int64_t> expectedRevision,
                                                                const std::string& nowText) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  const Dialect& dialect = connection->dialect();
  plugins::PluginBinding stored = binding;
  try {
    std::string instance = binding.instanceId, org = binding.organizationId, plugin = binding.pluginId,
                kind = binding.kind, range = binding.versionRange, config = binding.publicConfigJson,
                secrets = binding.sealedSecrets, baseUrl = binding.baseUrlOverride, created = nowText,
                updated = nowText;
    int enabled = binding.enabled ? 1 : 0;
    dialect.begin(connection->session());
    try {
      int64_t current = -1;
      {
        Poco::Data::Statement select(connection->session());
        select << dialect.sql("SELECT revision FROM plugin_bindings WHERE organization_id = ? AND instance_id = ?"),
            use(org), use(instance);
        select.execute();
        Poco::Data::RecordSet rows(select);
        if (rows.rowCount() > 0) current = rows.value(0, 0).convert<int64_t>();
      }
      if (expectedRevision && *expectedRevision != current) {
        dialect.rollback(connection->session());
        return Error::conflict("plugin instance " + instance + " changed meanwhile (revision " +
                               std::to_string(current) + ", expected " + std::to_string(*expectedRevision) + ")");
      }
      if (current < 0) {
        int64_t revision = 1;
        connection->session() << dialect.sql(
            "INSERT INTO plugin_bindings (instance_id, organization_id, plugin_id, kind, "
            "version_range, enabled, public_config, sealed_secrets, base_url_override, revision, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            use(instance), use(org), use(plugin), use(kind), use(range), use(enabled), use(config), use(secrets),
            use(baseUrl), use(revision), use(created), use(updated), now;
        stored.revision = 1;
        stored.createdAt = nowText;
      } else {
        int64_t revision = current + 1;
        // "AND revision = ?" makes the check and the write one step: on PostgreSQL (READ
        // COMMITTED, no row lock on the SELECT) a concurrent writer changes 0 rows here.
        Poco::Data::Statement update(connection->session());
        update << dialect.sql(
            "UPDATE plugin_bindings SET plugin_id = ?, kind = ?, version_range = ?, enabled = ?, "
            "public_config = ?, sealed_secrets = ?, base_url_override = ?, revision = ?, "
            "updated_at = ? WHERE organization_id = ? AND instance_id = ? AND revision = ?"),
            use(plugin), use(kind), use(range), use(enabled), use(config), use(secrets), use(baseUrl), use(revision),
            use(updated), use(org), use(instance), use(current);
        if (update.execute() != 1) {
          dialect.rollback(connection->session());
          return Error::conflict("plugin instance " + instance + " changed meanwhile; read it again");
        }
        stored.revision = revision;
      }
      dialect.commit(connection->session());
    } catch (...) {
      try {
        dialect.rollback(connection->session());
      } catch (...) {
      }
      throw;
    }
  } catch (const std::exception& e) {
    return translateDatabaseError(e, *connection, "plugin instance " + binding.instanceId + " exists");
  }
  stored.updatedAt = nowText;
  return stored;
}

Status SqlPluginBindingRepository::remove(const std::string& organizationId, const std::string& instanceId) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  try {
    std::string org = organizationId, instance = instanceId;
    Poco::Data::Statement statement(connection->session());
    statement << connection->dialect().sql("DELETE FROM plugin_bindings WHERE organization_id = ? AND instance_id = ?"),
        use(org), use(instance);
    if (statement.execute() == 0) return Error::notFound("plugin instance " + instanceId + " not found");
    return Status::ok();
  } catch (const std::exception& e) {
    return translateDatabaseError(e, *connection, "");
  }
}

}  // namespace ordersvc::storage
