#include "platform/storage/database_url.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "platform/config/settings.h"

namespace ordersvc::storage {

namespace {

// libpq wants values with spaces or quotes single-quoted, backslash-escaped.
std::string libpqValue(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out += "'";
  return out;
}

}  // namespace

Result<DatabaseUrl> DatabaseUrl::parse(const std::string& url, int connectTimeoutSeconds) {
  DatabaseUrl out;
  out.displayUrl = config::redactUrl(url);
  const auto fail = [&out](const std::string& why) {
    return Error::configuration("DATABASE_URL " + out.displayUrl + " " + why);
  };
  if (url.rfind("sqlite://", 0) == 0) {
    out.backend = Backend::Sqlite;
    out.connector = "SQLite";
    // sqlite:///abs -> "/abs"; sqlite://rel/x.db -> "rel/x.db"
    out.sqlitePath = url.substr(std::string("sqlite://").size());
    if (out.sqlitePath.empty() || out.sqlitePath == "/") return fail("names no database file");
    out.connectionString = out.sqlitePath;
    return out;
  }
  if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) {
    return fail("must start with sqlite:// or postgresql://");
  }
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    return fail("is malformed: " + e.message());
  }
  if (uri.getHost().empty()) return fail("has no host");
  std::string database = uri.getPath();
  if (!database.empty() && database.front() == '/') database.erase(0, 1);
  if (database.empty()) return fail("names no database");

  std::string user;
  std::string password;
  std::string userInfo;
  Poco::URI::decode(uri.getUserInfo(), userInfo);
  const auto colon = userInfo.find(':');
  user = userInfo.substr(0, colon);
  if (colon != std::string::npos) password = userInfo.substr(colon + 1);

  out.backend = Backend::Postgres;
  out.connector = "PostgreSQL";
  out.connectionString = "host=" + libpqValue(uri.getHost()) +
                         " port=" + std::to_string(uri.getPort() ? uri.getPort() : 5432) +
                         " dbname=" + libpqValue(database) +
                         " connect_timeout=" + std::to_string(connectTimeoutSeconds) + " application_name=ordersvc";
  if (!user.empty()) out.connectionString += " user=" + libpqValue(user);
  if (!password.empty()) out.connectionString += " password=" + libpqValue(password);
  for (const auto& [key, value] : uri.getQueryParameters()) {
    if (key != "sslmode" && key != "sslrootcert" && key != "sslcert" && key != "sslkey" &&
        key != "target_session_attrs") {
      return fail("has unsupported parameter '" + key + "'");
    }
    out.connectionString += " " + key + "=" + libpqValue(value);
  }
  return out;
}

}  // namespace ordersvc::storage
