/* osp_host.h -- services the host gives a plugin at init.
 *
 * A plugin links nothing of the host: everything it needs from the host (logging, the
 * clock, deadlines, state, metrics, the network) comes through this table. The HTTP
 * client in particular is the host's, so time-outs, TLS verification, egress rules,
 * secret masking in logs and test base-URL overrides live in one place.
 */
#ifndef OSP_HOST_H
#define OSP_HOST_H

#include "osp/osp_types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum osp_log_level { OSP_LOG_DEBUG = 0, OSP_LOG_INFO = 1, OSP_LOG_WARN = 2, OSP_LOG_ERROR = 3 } osp_log_level;

/* The host services table, passed to osp_plugin_entry.init.
 * [host-owned: valid until the matching deinit returns] */
typedef struct osp_host {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor; /* the minor agreed in negotiate() */
  osp_str host_name;  /* "ordersvc" */
  osp_str host_version;
  void* host_data; /* opaque to the plugin */

  /* Writes one line into the host's log, tagged with the plugin id and, when `ctx` is
   * not NULL, its organization and request id. `message` must not contain secrets.
   * [any-thread] */
  void(OSP_CC* log)(const struct osp_host* host, const osp_call_ctx* ctx, osp_log_level level, osp_str message);

  /* Wall-clock time in milliseconds since the Unix epoch. Plugins read time only here,
   * so tests can control it. [any-thread] */
  int64_t(OSP_CC* now_unix_ms)(const struct osp_host* host);

  /* Non-zero when the call's deadline has passed or the host cancelled it; a plugin
   * doing long work checks it and returns OSP_E_DEADLINE / OSP_E_CANCELLED.
   * [call-scoped] */
  int(OSP_CC* is_expired)(const struct osp_host* host, const osp_call_ctx* ctx);

  /* A service table by versioned id ("osp.kv/1", "osp.metrics/1", "osp.http/1"), or
   * NULL when the host does not offer it. The returned table is
   * [host-owned: valid until deinit]. [any-thread] */
  const void*(OSP_CC* get_service)(const struct osp_host* host, const char* service_id);
} osp_host;

/* ------------------------------------------------------------------------------------
 * "osp.kv/1": small persistent state per (organization, plugin id), kept in the service
 * database: folio counters, cached OAuth tokens. Keys are at most 200 bytes, values at
 * most 64 KiB. Every function is [call-scoped]: the organization comes from `ctx`, so a
 * plugin can never read another tenant's state.
 */
#define OSP_SERVICE_KV_V1 "osp.kv/1"

/* Receives a value read from the store. [host-owned: until the function returns] */
typedef void(OSP_CC* osp_kv_value_fn)(void* user, osp_bytes value, int64_t version);

typedef struct osp_kv_v1 {
  size_t struct_size;
  /* Calls `found(user, value, version)` when `key` exists and returns OSP_OK; returns
   * OSP_OK without calling it when the key is absent. An expired entry is absent. */
  osp_status(OSP_CC* get)(const osp_host* host, const osp_call_ctx* ctx, osp_str key, osp_kv_value_fn found,
                          void* user);
  /* Stores `value`; `ttl_seconds` 0 keeps it until deleted. */
  osp_status(OSP_CC* put)(const osp_host* host, const osp_call_ctx* ctx, osp_str key, osp_bytes value,
                          int64_t ttl_seconds);
  /* Atomically adds `delta` to the integer stored at `key` (absent = 0) and writes the
   * new value to `*result`. Two hosts incrementing at once never get the same result:
   * folio numbers rely on it. */
  osp_status(OSP_CC* increment)(const osp_host* host, const osp_call_ctx* ctx, osp_str key, int64_t delta,
                                int64_t* result);
  /* Replaces the value only if its version still equals `expected_version` (0 = the key
   * must be absent). Writes 1 to `*swapped` when it did, 0 when another writer won. */
  osp_status(OSP_CC* compare_and_set)(const osp_host* host, const osp_call_ctx* ctx, osp_str key,
                                      int64_t expected_version, osp_bytes value, int64_t ttl_seconds, int* swapped);
  osp_status(OSP_CC* remove)(const osp_host* host, const osp_call_ctx* ctx, osp_str key);
} osp_kv_v1;

/* ------------------------------------------------------------------------------------
 * "osp.metrics/1": metrics that appear in the host's /metrics with labels
 * plugin="<id>", plugin_version="<version>" added by the host. Names must match
 * [a-z_][a-z0-9_]* and are prefixed with "ordersvc_plugin_". `labels_json` is a flat
 * JSON object of string values, e.g. {"operation":"rates"}, or empty. [any-thread]
 */
#define OSP_SERVICE_METRICS_V1 "osp.metrics/1"

typedef struct osp_metrics_v1 {
  size_t struct_size;
  void(OSP_CC* counter_add)(const osp_host* host, osp_str name, osp_str labels_json, double delta);
  void(OSP_CC* gauge_set)(const osp_host* host, osp_str name, osp_str labels_json, double value);
  void(OSP_CC* histogram_observe)(const osp_host* host, osp_str name, osp_str labels_json, double value);
} osp_metrics_v1;

/* ------------------------------------------------------------------------------------
 * "osp.http/1": the host's HTTP client. TLS certificates are always verified; the
 * time-out is the smaller of `timeout_ms` and what is left of the call's deadline; the
 * response body is capped (the host's limit, 8 MiB by default); only hosts allowed by
 * the plugin's manifest (egress_hosts) can be reached; an instance may have
 * a base-URL override (tests point it at a mock server) that replaces scheme, host and
 * port of every URL. Headers flagged OSP_HTTP_HEADER_SECRET are masked in every log.
 */
#define OSP_SERVICE_HTTP_V1 "osp.http/1"

enum { OSP_HTTP_HEADER_SECRET = 1u << 0 };

typedef struct osp_http_header {
  osp_str name;
  osp_str value;
  uint32_t flags; /* OSP_HTTP_HEADER_SECRET */
} osp_http_header;

/* [borrowed] */
typedef struct osp_http_request {
  size_t struct_size;
  osp_str method; /* "GET", "POST", ... */
  osp_str url;    /* absolute https:// (or http:// for an allowed test override) */
  const osp_http_header* headers;
  size_t header_count;
  osp_bytes body;
  uint32_t timeout_ms; /* 0: the deadline alone bounds the call */
} osp_http_request;

/* Filled by send(). [host-owned: valid until release() is called on it] */
typedef struct osp_http_response {
  size_t struct_size;
  int status; /* HTTP status, e.g. 200 */
  const osp_http_header* headers;
  size_t header_count;
  osp_bytes body;
  void* host_data; /* opaque to the plugin */
} osp_http_response;

typedef struct osp_http_v1 {
  size_t struct_size;
  /* Sends the request and fills `*response`. A provider's 4xx or 5xx is OSP_OK with that
   * status in the response. Errors: OSP_E_TRANSIENT (connection failed before the request
   * was sent: the provider saw nothing), OSP_E_DEADLINE (no answer in time: the provider
   * may have acted, report UNKNOWN), OSP_E_PERMANENT (host not allowed, TLS failure,
   * response over the cap), OSP_E_INVALID_ARGUMENT (malformed request). [call-scoped] */
  osp_status(OSP_CC* send)(const osp_host* host, const osp_call_ctx* ctx, const osp_http_request* request,
                           osp_http_response* response);
  /* Frees what send() put in `*response`. Safe on a response send() failed to fill. */
  void(OSP_CC* release)(const osp_host* host, osp_http_response* response);
} osp_http_v1;

#ifdef __cplusplus
}
#endif

#endif /* OSP_HOST_H */
