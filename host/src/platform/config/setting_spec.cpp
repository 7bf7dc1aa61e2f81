#include "platform/config/setting_spec.h"

namespace ordersvc::config {

namespace {

using T = SettingType;
constexpr long long kMaxPort = 65535;
constexpr long long kLarge = 1LL << 31;

// The catalogue as data: one row per key (key, group, type, default, description,
// secret, min, max, choices), in the order --help lists them.
const std::vector<SettingSpec> kCatalog = {

    // Service
    {"HTTP_PORT", "Service", T::Integer, "8004", "REST port (0 picks a free port)", false, 0, kMaxPort},
    {"HTTP_BIND_ADDRESS", "Service", T::String, "0.0.0.0", "address the REST server binds to"},
    {"HTTP_MAX_THREADS", "Service", T::Integer, "32", "REST worker threads", false, 1, 1024},
    {"HTTP_MAX_QUEUED", "Service", T::Integer, "256", "accepted connections waiting for a worker", false, 1, 100000},
    {"HTTP_MAX_BODY_BYTES", "Service", T::Integer, "1048576", "largest request body accepted; larger gets 413", false,
     0, kLarge},
    {"GRPC_PORT", "Service", T::Integer, "50054", "gRPC port (0 picks a free port)", false, 0, kMaxPort},
    {"GRPC_BIND_ADDRESS", "Service", T::String, "0.0.0.0", "address the gRPC server binds to"},
    {"SHUTDOWN_GRACE_SECONDS", "Service", T::Integer, "20", "how long in-flight requests may run after SIGTERM", false,
     0, 3600},
    {"DEBUG_ROUTES", "Service", T::Boolean, "false",
     "adds /debug/sleep for tests of graceful shutdown; never in production"},
    {"DATA_DIR", "Service", T::String, "data", "directory for the embedded SQLite database and local state"},
    {"LOG_LEVEL",
     "Service",
     T::Choice,
     "info",
     "trace, debug, info, warn, error, critical or off",
     false,
     0,
     0,
     {"trace", "debug", "info", "warn", "error", "critical", "off"}},
    {"LOG_FORMAT",
     "Service",
     T::Choice,
     "text",
     "text (readable lines) or json (one JSON object per line)",
     false,
     0,
     0,
     {"text", "json"}},

    // Plugins and security
    {"PLUGINS_DIR", "Plugins and security", T::String, "",
     "plugin directories (<dir>/<id>/<version>/plugin.json), ':'-separated; empty: the bundled ones"},
    {"PLUGINS_WATCH_SECONDS", "Plugins and security", T::Integer, "0",
     "poll the plugins directories every N seconds and reload on change (0 = only on POST /api/v1/plugins/reload)",
     false, 0, 3600},
    {"BINDINGS_SYNC_SECONDS", "Plugins and security", T::Integer, "5",
     "re-read organizations' plugin bindings every N seconds, so changes made through another ordersvc process "
     "take effect here (0 = never)",
     false, 0, 3600},
    {"PLUGINS_REQUIRE_SIGNATURE", "Plugins and security", T::Boolean, "false",
     "load only plugins whose Ed25519 signature verifies against PLUGIN_PUBLISHER_KEYS"},
    {"PLUGIN_PUBLISHER_KEYS", "Plugins and security", T::String, "",
     "':'-separated PEM files of trusted publisher public keys (ordersvc-plugin keygen)"},
    {"JWT_SECRET", "Plugins and security", T::String, "",
     "HS256 secret that signs bearer tokens; empty: a random one kept in DATA_DIR/jwt.secret", true},
    {"ORDERSVC_MASTER_KEY", "Plugins and security", T::String, "",
     "64 hex digits: AES-256-GCM key for plugin secrets at rest; empty: a random one in DATA_DIR/master.key", true},
    {"BOOTSTRAP_FILE", "Plugins and security", T::String, "",
     "JSON file of organizations and plugin instances created at start-up if missing; empty: config/bootstrap.json "
     "when present"},
    {"JWT_ISSUER", "Plugins and security", T::String, "", "accepted token issuer (\"iss\"); empty: any"},
    {"JWT_PUBLIC_KEY_FILE", "Plugins and security", T::String, "",
     "PEM RSA public key; when set, RS256 tokens signed with its private key are accepted"},
    {"JWT_LEEWAY_SECONDS", "Plugins and security", T::Integer, "30", "clock skew allowed on exp and nbf", false, 0,
     600},
    {"RATE_LIMIT_CLIENT_PER_MINUTE", "Plugins and security", T::Integer, "600",
     "requests a client (token subject, else IP) may make per minute; 0 disables", false, 0, 10000000},
    {"RATE_LIMIT_CLIENT_BURST", "Plugins and security", T::Integer, "100", "requests a client may make at once", false,
     1, 10000000},
    {"RATE_LIMIT_ORG_PER_MINUTE", "Plugins and security", T::Integer, "6000",
     "requests one organization may make per minute; 0 disables", false, 0, 100000000},
    {"RATE_LIMIT_ORG_BURST", "Plugins and security", T::Integer, "1000", "requests an organization may make at once",
     false, 1, 100000000},

    // Database
    {"DATABASE_URL",
     "Database",
     T::Url,
     "",
     "sqlite:///path/file.db or postgresql://user:pass@host:port/db; empty means sqlite under DATA_DIR",
     false,
     0,
     0,
     {"sqlite", "postgresql", "postgres"}},
    {"DATABASE_POOL_SIZE", "Database", T::Integer, "10", "connections kept open", false, 1, 1000},
    {"DATABASE_MAX_OVERFLOW", "Database", T::Integer, "5", "extra connections allowed under load", false, 0, 1000},
    {"DATABASE_POOL_TIMEOUT_SECONDS", "Database", T::Integer, "5", "wait for a free connection before 503", false, 0,
     600},
    {"DATABASE_CONNECT_TIMEOUT_SECONDS", "Database", T::Integer, "5", "time-out of one connection attempt", false, 1,
     600},
    {"DATABASE_STARTUP_TIMEOUT_SECONDS", "Database", T::Integer, "30",
     "how long start-up retries an unreachable database before giving up", false, 0, 3600},

    // Cache and events
    {"REDIS_URL",
     "Cache and events",
     T::Url,
     "",
     "redis://[:password@]host:port[/db]; empty keeps cache in process",
     false,
     0,
     0,
     {"redis", "rediss"}},
    {"CACHE_TTL_CART", "Cache and events", T::Integer, "1800", "seconds a cart stays cached", false, 0, kLarge},
    {"CACHE_TTL_ORDER", "Cache and events", T::Integer, "300", "seconds an order stays cached", false, 0, kLarge},
    {"RABBITMQ_URL",
     "Cache and events",
     T::Url,
     "",
     "amqp://user:pass@host:port/vhost; empty keeps events in the outbox",
     false,
     0,
     0,
     {"amqp", "amqps"}},
    {"RABBITMQ_EXCHANGE", "Cache and events", T::String, "order_events", "topic exchange events are published to"},
    {"RABBITMQ_QUEUE_ORDERS", "Cache and events", T::String, "order_queue", "queue consumed for order commands"},
    {"RABBITMQ_QUEUE_PAYMENTS", "Cache and events", T::String, "payment_queue", "queue consumed for payment events"},

    // Other services
    {"INVENTORY_GRPC_HOST", "Other services", T::String, "", "Inventory service host; empty uses local stock tables"},
    {"INVENTORY_GRPC_PORT", "Other services", T::Integer, "50053", "Inventory service port", false, 1, kMaxPort},
    {"CATALOG_GRPC_HOST", "Other services", T::String, "", "Catalog service host; empty uses local product tables"},
    {"CATALOG_GRPC_PORT", "Other services", T::Integer, "50051", "Catalog service port", false, 1, kMaxPort},
    {"GRPC_CALL_TIMEOUT_MS", "Other services", T::Integer, "2000", "deadline of each Catalog/Inventory gRPC call",
     false, 1, 600000},
    {"INTEGRATION_CHECK_TIMEOUT_MS", "Other services", T::Integer, "1000",
     "time-out of each /health/integrations probe", false, 1, 60000},

    // Business rules
    {"ORDER_RESERVATION_TTL_MINUTES", "Business rules", T::Integer, "15",
     "minutes stock stays reserved for an unpaid order", false, 1, 100000},
    {"CART_EXPIRY_DAYS", "Business rules", T::Integer, "7", "days an idle cart lives", false, 1, 3650},
    {"MAX_ITEMS_PER_ORDER", "Business rules", T::Integer, "100", "most units one order may hold", false, 1, 1000000},
    {"MIN_ORDER_AMOUNT", "Business rules", T::Decimal, "0", "smallest order total accepted, in major units (0 = none)"},
    {"FREE_SHIPPING_THRESHOLD", "Business rules", T::Decimal, "0",
     "subtotal from which shipping is free, in major units (0 = never)"},
    {"PAYMENT_RETRY_ATTEMPTS", "Business rules", T::Integer, "3", "payment attempts allowed per order", false, 1, 100},
    {"PAYMENT_FAILED_TIMEOUT_MINUTES", "Business rules", T::Integer, "60",
     "minutes a payment_failed order waits for a retry before it is cancelled", false, 1, 100000},
    {"JOBS_INTERVAL_SECONDS", "Business rules", T::Integer, "30",
     "how often the background jobs (expiry, abandoned carts) run; 0 disables them", false, 0, 86400},
    {"OUTBOX_RELAY_INTERVAL_MS", "Cache and events", T::Integer, "200",
     "how often the outbox relay looks for unsent events", false, 10, 600000},
    {"ABANDONED_CART_HOURS", "Business rules", T::Integer, "24", "hours after which an idle cart counts as abandoned",
     false, 1, 100000},

    // Provider credentials: defaults for organizations that have no plugin configuration of their own.
    {"STRIPE_SECRET_KEY", "Provider credentials", T::String, "", "Stripe secret API key", true},
    {"STRIPE_WEBHOOK_SECRET", "Provider credentials", T::String, "", "Stripe webhook signing secret", true},
    {"PAYPAL_CLIENT_ID", "Provider credentials", T::String, "", "PayPal REST client id", true},
    {"PAYPAL_CLIENT_SECRET", "Provider credentials", T::String, "", "PayPal REST client secret", true},
    {"PAYPAL_MODE", "Provider credentials", T::Choice, "sandbox", "sandbox or live", false, 0, 0, {"sandbox", "live"}},
    {"PAYPAL_WEBHOOK_ID", "Provider credentials", T::String, "", "PayPal webhook id used to verify webhook signatures",
     true},
    {"MERCADOPAGO_ACCESS_TOKEN", "Provider credentials", T::String, "", "MercadoPago access token", true},
    {"MERCADOPAGO_WEBHOOK_SECRET", "Provider credentials", T::String, "", "MercadoPago webhook secret", true},
    {"FEDEX_API_KEY", "Provider credentials", T::String, "", "FedEx API key", true},
    {"FEDEX_SECRET_KEY", "Provider credentials", T::String, "", "FedEx secret key", true},
    {"FEDEX_ACCOUNT_NUMBER", "Provider credentials", T::String, "", "FedEx account number", true},
    {"UPS_CLIENT_ID", "Provider credentials", T::String, "", "UPS OAuth client id", true},
    {"UPS_CLIENT_SECRET", "Provider credentials", T::String, "", "UPS OAuth client secret", true},
    {"UPS_ACCOUNT_NUMBER", "Provider credentials", T::String, "", "UPS shipper account number", true},
    {"DHL_API_KEY", "Provider credentials", T::String, "", "DHL Express API key", true},
    {"DHL_API_SECRET", "Provider credentials", T::String, "", "DHL Express API secret", true},
    {"DHL_ACCOUNT_NUMBER", "Provider credentials", T::String, "", "DHL Express account number", true},
};

}  // namespace

const std::vector<SettingSpec>& settingCatalog() {
  return kCatalog;
}

const SettingSpec* findSetting(std::string_view key) {
  for (const SettingSpec& spec : settingCatalog()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

}  // namespace ordersvc::config
