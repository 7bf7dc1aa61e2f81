/* plugin_template.c -- a complete, minimal ordersvc plugin in plain C11.
 *
 * Copy it to start a plugin without the C++ SDK. It implements the factory and one payment
 * operation (sale), uses the host's log, and keeps the rules of the headers:
 *  - one exported symbol, osp_plugin_entry_v1, returning a constant struct;
 *  - counted init/deinit (osp_entry.h "Rationale");
 *  - every table starts with struct_size = sizeof(table);
 *  - results go to the host's sink, never as heap memory handed back;
 *  - operations it does not implement are NULL, so the host answers "unsupported".
 * The ABI checks (abi_c11.c, abi_cxx17.cpp) link it and drive it as a host would.
 */
#include <stdlib.h>
#include <string.h>

#include "osp/osp.h"

/* ---- library state: set by init, cleared by the last deinit. [control-thread] ---------- */
static int g_init_count = 0;
static const osp_host* g_host = NULL;

static osp_str str_of(const char* text) {
  osp_str s;
  s.ptr = text;
  s.len = strlen(text);
  return s;
}

static void write_text(const osp_sink* out, const char* text) {
  osp_bytes chunk;
  chunk.ptr = (const uint8_t*)text;
  chunk.len = strlen(text);
  out->write(out, chunk);
}

static void host_log(const osp_call_ctx* ctx, osp_log_level level, const char* message) {
  /* A field added after 1.0 would be checked with OSP_HAS_FIELD first; `log` is in 1.0. */
  if (g_host != NULL && OSP_HAS_FIELD(g_host, osp_host, log) && g_host->log != NULL) {
    g_host->log(g_host, ctx, level, str_of(message));
  }
}

/* ---- the instance: one per organization configuration -------------------------------- */
struct osp_instance {
  int64_t created_unix_ms; /* an instance keeps what it needs from the configuration */
};

/* ---- factory ("osp.factory/1") -------------------------------------------------------- */
static osp_status OSP_CC template_get_config_schema(const osp_sink* out) {
  write_text(out, "{\"type\":\"object\",\"additionalProperties\":false}");
  return OSP_OK;
}

static osp_status OSP_CC template_validate_config(osp_bytes config_json, const osp_sink* out) {
  /* A real plugin parses the JSON. The template accepts only the empty object. */
  static const char kEmpty[] = "{}";
  if (config_json.len == sizeof(kEmpty) - 1 && memcmp(config_json.ptr, kEmpty, config_json.len) == 0) {
    write_text(out, "{\"valid\":true,\"errors\":[]}");
  } else {
    write_text(out, "{\"valid\":false,\"errors\":[{\"path\":\"\",\"message\":\"expected {}\"}]}");
  }
  return OSP_OK;
}

static osp_status OSP_CC template_create_instance(const osp_call_ctx* ctx, osp_bytes config_json,
                                                  osp_instance** instance, const osp_sink* err) {
  (void)config_json;
  if (instance == NULL) {
    return OSP_E_INVALID_ARGUMENT;
  }
  *instance = (osp_instance*)malloc(sizeof(osp_instance));
  if (*instance == NULL) {
    err->set_error(err, OSP_E_INTERNAL, str_of("memory.exhausted"), str_of("out of memory"));
    return OSP_E_INTERNAL;
  }
  (*instance)->created_unix_ms = g_host->now_unix_ms(g_host);
  host_log(ctx, OSP_LOG_INFO, "template instance created");
  return OSP_OK;
}

static void OSP_CC template_destroy_instance(osp_instance* instance) {
  free(instance);
}

static const osp_factory_v1 k_factory = {sizeof(osp_factory_v1), template_get_config_schema, template_validate_config,
                                         template_create_instance, template_destroy_instance};

/* ---- payment ("osp.payment/1") --------------------------------------------------------- */
/* A cash sale always succeeds. The provider reference is the idempotency key, so a retry of
 * the same logical sale yields the same reference. [any-thread] */
static osp_status OSP_CC template_sale(osp_instance* instance, const osp_call_ctx* ctx, osp_bytes request_json,
                                       const osp_sink* out) {
  osp_bytes key;
  (void)request_json;
  if (instance == NULL || ctx == NULL) {
    out->set_error(out, OSP_E_INVALID_ARGUMENT, str_of("request.invalid"), str_of("no instance or context"));
    return OSP_E_INVALID_ARGUMENT;
  }
  if (g_host->is_expired(g_host, ctx)) {
    out->set_error(out, OSP_E_DEADLINE, str_of("deadline.expired"), str_of("deadline passed before the sale"));
    return OSP_E_DEADLINE;
  }
  write_text(out, "{\"status\":\"succeeded\",\"provider_reference\":\"");
  key.ptr = (const uint8_t*)ctx->idempotency_key.ptr; /* keys are [A-Za-z0-9_-], no escaping */
  key.len = ctx->idempotency_key.len;
  out->write(out, key);
  write_text(out, "\"}");
  return OSP_OK;
}

static const osp_payment_v1 k_payment = {
    sizeof(osp_payment_v1),
    NULL,          /* create_session */
    NULL,          /* authorize */
    NULL,          /* capture */
    template_sale, /* sale */
    NULL,          /* void_payment */
    NULL,          /* refund */
    NULL,          /* sync */
    NULL,          /* webhook_identify */
    NULL           /* webhook_verify_and_parse */
};

/* ---- entry ------------------------------------------------------------------------------ */
static osp_status OSP_CC template_negotiate(uint32_t* inout_minor) {
  if (inout_minor == NULL) {
    return OSP_E_INVALID_ARGUMENT;
  }
  if (*inout_minor > OSP_ABI_MINOR) {
    *inout_minor = OSP_ABI_MINOR; /* speak what we were built with, never more than the host */
  }
  return OSP_OK;
}

static osp_status OSP_CC template_init(const osp_host* host, const char* plugin_dir) {
  (void)plugin_dir;
  if (host == NULL || host->struct_size < sizeof(osp_host)) {
    return OSP_E_INVALID_ARGUMENT; /* this template needs every 1.0 host field */
  }
  if (g_init_count++ == 0) {
    g_host = host;
  }
  host_log(NULL, OSP_LOG_DEBUG, "template initialised");
  return OSP_OK;
}

static void OSP_CC template_deinit(void) {
  if (g_init_count > 0 && --g_init_count == 0) {
    g_host = NULL;
  }
}

static const void* OSP_CC template_get_interface(const char* interface_id) {
  if (interface_id == NULL) {
    return NULL;
  }
  if (strcmp(interface_id, OSP_INTERFACE_FACTORY_V1) == 0) {
    return &k_factory;
  }
  if (strcmp(interface_id, OSP_INTERFACE_PAYMENT_V1) == 0) {
    return &k_payment;
  }
  return NULL;
}

static const osp_plugin_entry k_entry = {OSP_MAGIC,
                                         sizeof(osp_plugin_entry),
                                         OSP_ABI_MAJOR,
                                         OSP_ABI_MINOR,
                                         0, /* min_host_minor */
                                         OSP_FLAG_UNLOAD_SAFE,
                                         OSP_BUILD_SIGNATURE,
                                         "template",
                                         "1.0.0",
                                         "Template (cash)",
                                         "ordersvc",
                                         template_negotiate,
                                         template_init,
                                         template_deinit,
                                         template_get_interface};

OSP_EXPORT const osp_plugin_entry* osp_plugin_entry_v1(void) {
  return &k_entry;
}
