#pragma once

#include <string>

#include "kernel/result.h"

namespace ordersvc::storage {

enum class Backend { Sqlite, Postgres };

// DATABASE_URL taken apart into what Poco::Data needs.
struct DatabaseUrl {
  Backend backend = Backend::Sqlite;
  std::string connector;         // Poco::Data connector key: "SQLite" or "PostgreSQL"
  std::string connectionString;  // file path, or libpq "key=value" string (holds the password)
  std::string sqlitePath;        // Sqlite only
  std::string displayUrl;        // the URL with its password masked, for logs and errors

  // Accepts sqlite:///abs/path.db, sqlite://relative/path.db (relative to the working
  // directory) and postgresql://user:pass@host[:port]/db[?sslmode=...] (also postgres://).
  // `connectTimeoutSeconds` becomes libpq's connect_timeout.
  static Result<DatabaseUrl> parse(const std::string& url, int connectTimeoutSeconds);
};

}  // namespace ordersvc::storage
