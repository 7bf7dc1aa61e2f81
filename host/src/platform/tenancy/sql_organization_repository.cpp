#include "platform/tenancy/sql_organization_repository.h"

#include <Poco/Data/RecordSet.h>

#include "platform/storage/sql_errors.h"
#include "platform/storage/sql_query.h"
#include "platform/storage/unit_of_work.h"

namespace ordersvc::storage {

using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

namespace {

std::string selectColumns(const Dialect& dialect) {
  return "SELECT id, slug, name, country, default_currency, status, " + dialect.timestampText("created_at") + ", " +
         dialect.timestampText("updated_at") + " FROM organizations";
}

std::vector<domain::Organization> readRows(Poco::Data::Statement& statement) {
  Poco::Data::RecordSet rows(statement);
  std::vector<domain::Organization> out;
  out.reserve(rows.rowCount());
  for (std::size_t i = 0; i < rows.rowCount(); ++i) {
    domain::Organization org;
    org.id = rows.value(0, i).convert<std::string>();
    org.slug = rows.value(1, i).convert<std::string>();
    org.name = rows.value(2, i).convert<std::string>();
    org.country = rows.value(3, i).convert<std::string>();
    org.defaultCurrency = rows.value(4, i).convert<std::string>();
    org.status = rows.value(5, i).convert<std::string>();
    org.createdAt = rows.value(6, i).convert<std::string>();
    org.updatedAt = rows.value(7, i).convert<std::string>();
    out.push_back(std::move(org));
  }
  return out;
}

}  // namespace

Result<domain::Organization> SqlOrganizationRepository::create(const std::string& id,
                                                               const domain::OrganizationDraft& draft,
                                                               const std::string& nowText) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  const Dialect& dialect = connection->dialect();
  try {
    std::string idValue = id, slug = draft.slug, name = draft.name, country = draft.country,
                currency = draft.defaultCurrency, status = draft.status, created = nowText, updated = nowText;
    connection->session() << dialect.sql(
        "INSERT INTO organizations (id, slug, name, country, default_currency, status, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        use(idValue), use(slug), use(name), use(country), use(currency), use(status), use(created), use(updated), now;
  } catch (const std::exception& e) {
    return translateDatabaseError(e, *connection,
                                  "an organization with id " + id + " or slug " + draft.slug + " exists");
  }
  return domain::Organization{id,           draft.slug, draft.name, draft.country, draft.defaultCurrency,
                              draft.status, nowText,    nowText};
}

Result<domain::Organization> SqlOrganizationRepository::findOne(const std::string& column, const std::string& value) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  const Dialect& dialect = connection->dialect();
  try {
    std::string key = value;
    Poco::Data::Statement select(connection->session());
    select << dialect.sql(selectColumns(dialect) + " WHERE " + column + " = ?"), use(key);
    select.execute();
    auto rows = readRows(select);
    if (rows.empty()) return Error::notFound("organization " + value + " not found");
    return rows.front();
  } catch (const std::exception& e) {
    return translateDatabaseError(e, *connection, "");
  }
}

std::optional<std::string> SqlOrganizationRepository::countryOf(Connection& connection, const std::string& id) {
  auto rows = SqlQuery(connection, "SELECT country FROM organizations WHERE id = ?").arg(id).rows();
  if (rows.rowCount() == 0) return std::nullopt;
  return Row(rows, 0).text("country");
}

Result<domain::Organization> SqlOrganizationRepository::findById(const std::string& id) {
  return findOne("id", id);
}

Result<domain::Organization> SqlOrganizationRepository::findBySlug(const std::string& slug) {
  return findOne("slug", slug);
}

Result<std::vector<domain::Organization>> SqlOrganizationRepository::list(const std::optional<std::string>& afterId,
                                                                          int limit) {
  auto connection = database_.acquire();
  if (!connection) return connection.error();
  const Dialect& dialect = connection->dialect();
  try {
    std::string after = afterId.value_or("");
    int max = limit;
    Poco::Data::Statement select(connection->session());
    select << dialect.sql(selectColumns(dialect) + " WHERE id > ? ORDER BY id LIMIT ?"), use(after), use(max);
    select.execute();
    return readRows(select);
  } catch (const std::exception& e) {
    return translateDatabaseError(e, *connection, "");
  }
}

Result<domain::Organization> SqlOrganizationRepository::update(const std::string& id,
                                                               const domain::OrganizationDraft& draft,
                                                               const std::string& nowText) {
  {
    auto connection = database_.acquire();
    if (!connection) return connection.error();
    const Dialect& dialect = connection->dialect();
    try {
      std::string slug = draft.slug, name = draft.name, country = draft.country, currency = draft.defaultCurrency,
                  status = draft.status, updated = nowText, key = id;
      Poco::Data::Statement statement(connection->session());
      statement << dialect.sql(
          "UPDATE organizations SET slug = ?, name = ?, country = ?, default_currency = ?, status = ?, "
          "updated_at = ? WHERE id = ?"),
          use(slug), use(name), use(country), use(currency), use(status), use(updated), use(key);
      const std::size_t changed = statement.execute();
      if (changed == 0) return Error::notFound("organization " + id + " not found");
    } catch (const std::exception& e) {
      return translateDatabaseError(e, *connection, "slug " + draft.slug + " is taken by another organization");
    }
  }
  return findById(id);
}

}  // namespace ordersvc::storage
