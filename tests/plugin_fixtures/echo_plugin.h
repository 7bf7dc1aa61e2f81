/* echo_plugin.h -- the body of every plain-C fixture plugin: a complete "echo" tax plugin.
 *
 * Each fixture is one tiny .c file that may define some FIXTURE_* macros (its one defect)
 * and then includes this file, which defines the plugin and its exported entry. Without
 * overrides the result is a correct plugin (fixture "good").
 *
 * Set by CMakeLists.txt from the ordersvc_add_plugin() arguments, so the entry always
 * matches plugin.json unless a fixture overrides it on purpose:
 *   ECHO_ID, ECHO_VERSION            e.g. "echo", "1.0.0"
 * Overrides (defaults in brackets):
 *   FIXTURE_MAGIC                    [OSP_MAGIC]
 *   FIXTURE_ABI_MAJOR                [OSP_ABI_MAJOR]
 *   FIXTURE_BUILT_MINOR              [OSP_ABI_MINOR]
 *   FIXTURE_MIN_HOST_MINOR           [0]
 *   FIXTURE_ENTRY_ID                 [ECHO_ID] the id the entry reports
 *   FIXTURE_NEGOTIATE_STATUS         [OSP_OK]  what negotiate() returns
 *   FIXTURE_INIT_STATUS              [OSP_OK]  what init() returns
 *   FIXTURE_ENTRY_FUNCTION           [osp_plugin_entry_v1] the exported function
 *
 * What it does (interfaces "osp.factory/1" and "osp.tax/1"):
 *  - config schema {"type":"object"}; validate_config always answers {"valid":true};
 *  - create_instance keeps a copy of the configuration; destroy_instance frees it;
 *  - tax.calculate writes, in several chunks,
 *      {"echo":<request>,"version":"<ECHO_VERSION>","id":"<entry id>",
 *       "instance_id":"<ctx instance id>","organization_id":"<ctx organization id>",
 *       "config":<instance configuration>}
 *    so a test can tell which version and which instance served a call; an empty request
 *    or configuration is written as null. tax.commit and tax.void_transaction are NULL.
 *  - counted init/deinit; logs one line through the host at init and at the last deinit;
 *  - flags OSP_FLAG_UNLOAD_SAFE: no threads, no atexit, nothing kept after deinit.
 */
#ifndef ORDERSVC_TESTS_ECHO_PLUGIN_H
#define ORDERSVC_TESTS_ECHO_PLUGIN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osp/osp.h"

#ifndef ECHO_ID
#error "ECHO_ID must be defined (CMakeLists.txt passes the manifest id)"
#endif
#ifndef ECHO_VERSION
#error "ECHO_VERSION must be defined (CMakeLists.txt passes the manifest version)"
#endif
#ifndef FIXTURE_MAGIC
#define FIXTURE_MAGIC OSP_MAGIC
#endif
#ifndef FIXTURE_ABI_MAJOR
#define FIXTURE_ABI_MAJOR OSP_ABI_MAJOR
#endif
#ifndef FIXTURE_BUILT_MINOR
#define FIXTURE_BUILT_MINOR OSP_ABI_MINOR
#endif
#ifndef FIXTURE_MIN_HOST_MINOR
#define FIXTURE_MIN_HOST_MINOR 0u
#endif
#ifndef FIXTURE_ENTRY_ID
#define FIXTURE_ENTRY_ID ECHO_ID
#endif
#ifndef FIXTURE_NEGOTIATE_STATUS
#define FIXTURE_NEGOTIATE_STATUS OSP_OK
#endif
#ifndef FIXTURE_INIT_STATUS
#define FIXTURE_INIT_STATUS OSP_OK
#endif
#ifndef FIXTURE_ENTRY_FUNCTION
#define FIXTURE_ENTRY_FUNCTION osp_plugin_entry_v1
#endif

/* Library state. [control-thread] only, so no lock. */
static int g_echo_init_count = 0;
static const osp_host* g_echo_host = NULL;

static osp_str echo_str(const char* text) {
  osp_str s;
  s.ptr = text;
  s.len = strlen(text);
  return s;
}

static void echo_log(const osp_call_ctx* ctx, osp_log_level level, const char* message) {
  if (g_echo_host != NULL && OSP_HAS_FIELD(g_echo_host, osp_host, log) && g_echo_host->log != NULL) {
    g_echo_host->log(g_echo_host, ctx, level, echo_str(message));
  }
}

static void echo_write(const osp_sink* out, const void* data, size_t len) {
  osp_bytes chunk;
  chunk.ptr = (const uint8_t*)data;
  chunk.len = len;
  out->write(out, chunk);
}

static void echo_write_text(const osp_sink* out, const char* text) {
  echo_write(out, text, strlen(text));
}

/* Writes raw JSON as is, or null when empty. The host validated the request. */
static void echo_write_json(const osp_sink* out, const void* json, size_t len) {
  if (len == 0) {
    echo_write_text(out, "null");
  } else {
    echo_write(out, json, len);
  }
}

/* Writes a JSON string literal, escaping what JSON requires. */
static void echo_write_string(const osp_sink* out, osp_str s) {
  size_t i;
  echo_write_text(out, "\"");
  for (i = 0; i < s.len; ++i) {
    const unsigned char c = (unsigned char)s.ptr[i];
    if (c == '"' || c == '\\') {
      const char escaped[2] = {'\\', (char)c};
      echo_write(out, escaped, 2);
    } else if (c < 0x20) {
      char escaped[8];
      snprintf(escaped, sizeof(escaped), "\\u%04x", (unsigned)c);
      echo_write(out, escaped, 6);
    } else {
      echo_write(out, &s.ptr[i], 1);
    }
  }
  echo_write_text(out, "\"");
}

/* ---- instance ------------------------------------------------------------------------- */
struct osp_instance {
  size_t config_len;
  uint8_t config[]; /* the configuration JSON, not NUL-terminated */
};

/* ---- factory -------------------------------------------------------------------------- */
/* "api_key" is marked secret so host tests can check it is sealed at rest and masked;
 * "reject": true makes validation fail so they can check the 422 path. */
#define ECHO_CONFIG_SCHEMA                                                                    \
  "{\"type\":\"object\",\"properties\":{\"api_key\":{\"type\":\"string\",\"x-secret\":true}," \
  "\"reject\":{\"type\":\"boolean\"}}}"

static osp_status OSP_CC echo_get_config_schema(const osp_sink* out) {
  echo_write_text(out, ECHO_CONFIG_SCHEMA);
  return OSP_OK;
}

/* A cheap shape check (the fixture carries no JSON parser): the text must look like
 * one JSON object, so malformed input is refused as the conformance kit expects. */
static int echo_looks_like_object(osp_bytes text) {
  size_t first = 0, last = text.len;
  while (first < text.len && (text.ptr[first] == ' ' || text.ptr[first] == '\n')) ++first;
  while (last > first && (text.ptr[last - 1] == ' ' || text.ptr[last - 1] == '\n')) --last;
  return last > first + 1 && text.ptr[first] == '{' && text.ptr[last - 1] == '}' &&
         (last - first == 2 || text.ptr[first + 1] == '"' || text.ptr[first + 1] == ' ');
}

static osp_status OSP_CC echo_validate_config(osp_bytes config_json, const osp_sink* out) {
  static const char kReject[] = "\"reject\":true";
  int reject = 0;
  size_t i;
  if (!echo_looks_like_object(config_json)) {
    echo_write_text(
        out, "{\"valid\":false,\"errors\":[{\"path\":\"\",\"message\":\"configuration must be a JSON object\"}]}");
    return OSP_OK;
  }
  for (i = 0; config_json.ptr != NULL && i + sizeof kReject - 1 <= config_json.len; ++i) {
    if (memcmp(config_json.ptr + i, kReject, sizeof kReject - 1) == 0) reject = 1;
  }
  echo_write_text(out, reject
                           ? "{\"valid\":false,\"errors\":[{\"path\":\"/reject\",\"message\":\"rejected on request\"}]}"
                           : "{\"valid\":true,\"errors\":[]}");
  return OSP_OK;
}

static osp_status OSP_CC echo_create_instance(const osp_call_ctx* ctx, osp_bytes config_json, osp_instance** instance,
                                              const osp_sink* err) {
  (void)ctx;
  if (instance == NULL) {
    return OSP_E_INVALID_ARGUMENT;
  }
  *instance = (osp_instance*)malloc(sizeof(osp_instance) + config_json.len);
  if (*instance == NULL) {
    err->set_error(err, OSP_E_INTERNAL, echo_str("memory.exhausted"), echo_str("out of memory"));
    return OSP_E_INTERNAL;
  }
  (*instance)->config_len = config_json.len;
  if (config_json.len > 0) {
    memcpy((*instance)->config, config_json.ptr, config_json.len);
  }
  return OSP_OK;
}

static void OSP_CC echo_destroy_instance(osp_instance* instance) {
  free(instance);
}

static const osp_factory_v1 k_echo_factory = {sizeof(osp_factory_v1), echo_get_config_schema, echo_validate_config,
                                              echo_create_instance, echo_destroy_instance};

/* ---- tax ------------------------------------------------------------------------------ */
static osp_status OSP_CC echo_calculate(osp_instance* instance, const osp_call_ctx* ctx, osp_bytes request_json,
                                        const osp_sink* out) {
  static const osp_str kEmpty = {NULL, 0};
  if (instance == NULL) {
    out->set_error(out, OSP_E_INVALID_ARGUMENT, echo_str("request.invalid"), echo_str("no instance"));
    return OSP_E_INVALID_ARGUMENT;
  }
  if (!echo_looks_like_object(request_json)) {
    out->set_error(out, OSP_E_INVALID_ARGUMENT, echo_str("request.invalid"), echo_str("request must be a JSON object"));
    return OSP_E_INVALID_ARGUMENT;
  }
  echo_write_text(out, "{\"echo\":");
  echo_write_json(out, request_json.ptr, request_json.len);
  echo_write_text(out, ",\"version\":\"" ECHO_VERSION "\",\"id\":\"" FIXTURE_ENTRY_ID "\",\"instance_id\":");
  echo_write_string(out, ctx != NULL ? ctx->instance_id : kEmpty);
  echo_write_text(out, ",\"organization_id\":");
  echo_write_string(out, ctx != NULL ? ctx->organization_id : kEmpty);
  echo_write_text(out, ",\"config\":");
  echo_write_json(out, instance->config, instance->config_len);
  echo_write_text(out, "}");
  return OSP_OK;
}

static const osp_tax_v1 k_echo_tax = {sizeof(osp_tax_v1), echo_calculate, NULL, NULL};

/* ---- entry ---------------------------------------------------------------------------- */
/* A variable, not the macro, so "minor < 0u" does not trip -Wtype-limits. */
static const uint32_t k_echo_min_host_minor = FIXTURE_MIN_HOST_MINOR;

static osp_status OSP_CC echo_negotiate(uint32_t* inout_minor) {
  if (inout_minor == NULL) {
    return OSP_E_INVALID_ARGUMENT;
  }
  if (FIXTURE_NEGOTIATE_STATUS != OSP_OK) {
    return FIXTURE_NEGOTIATE_STATUS;
  }
  if (*inout_minor < k_echo_min_host_minor) {
    return OSP_E_UNSUPPORTED;
  }
  if (*inout_minor > FIXTURE_BUILT_MINOR) {
    *inout_minor = FIXTURE_BUILT_MINOR;
  }
  return OSP_OK;
}

static osp_status OSP_CC echo_init(const osp_host* host, const char* plugin_dir) {
  (void)plugin_dir;
  if (FIXTURE_INIT_STATUS != OSP_OK) {
    return FIXTURE_INIT_STATUS;
  }
  if (host == NULL) {
    return OSP_E_INVALID_ARGUMENT;
  }
  if (g_echo_init_count++ == 0) {
    g_echo_host = host;
    echo_log(NULL, OSP_LOG_INFO, ECHO_ID " " ECHO_VERSION " initialised");
  }
  return OSP_OK;
}

static void OSP_CC echo_deinit(void) {
  if (g_echo_init_count > 0 && --g_echo_init_count == 0) {
    echo_log(NULL, OSP_LOG_INFO, ECHO_ID " " ECHO_VERSION " deinitialised");
    g_echo_host = NULL;
  }
}

static const void* OSP_CC echo_get_interface(const char* interface_id) {
  if (interface_id == NULL) {
    return NULL;
  }
  if (strcmp(interface_id, OSP_INTERFACE_FACTORY_V1) == 0) {
    return &k_echo_factory;
  }
  if (strcmp(interface_id, OSP_INTERFACE_TAX_V1) == 0) {
    return &k_echo_tax;
  }
  return NULL;
}

static const osp_plugin_entry k_echo_entry = {
    FIXTURE_MAGIC,        sizeof(osp_plugin_entry), FIXTURE_ABI_MAJOR, FIXTURE_BUILT_MINOR, FIXTURE_MIN_HOST_MINOR,
    OSP_FLAG_UNLOAD_SAFE, OSP_BUILD_SIGNATURE,      FIXTURE_ENTRY_ID,  ECHO_VERSION,        "Echo (test fixture)",
    "ordersvc tests",     echo_negotiate,           echo_init,         echo_deinit,         echo_get_interface};

OSP_EXPORT const osp_plugin_entry* FIXTURE_ENTRY_FUNCTION(void) {
  return &k_echo_entry;
}

#endif /* ORDERSVC_TESTS_ECHO_PLUGIN_H */
