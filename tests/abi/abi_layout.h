/* abi_layout.h -- compile-time checks of the plugin ABI, shared by the C and C++ checks so
 * both languages assert exactly the same layout.
 *
 * What a failure here means:
 *  - "first member": a struct that crosses the boundary must start with its size (or, for
 *    the entry, with the magic and then its size) so a reader can check it before anything
 *    else (osp_types.h conventions).
 *  - "table size": a function table is struct_size plus function pointers and nothing else;
 *    a field that is not a pointer, or a reordering, changes it.
 *  - "LP64 layout": the ABI 1.0 offsets on 64-bit targets. A change here breaks every
 *    built plugin: it needs a new ABI major, not an edit of this file.
 *  - "numbers": status and result codes are part of the ABI and never change.
 */
#ifndef OSP_TESTS_ABI_LAYOUT_H
#define OSP_TESTS_ABI_LAYOUT_H

#include "osp/osp.h"

#ifdef __cplusplus
#define OSP_ABI_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define OSP_ABI_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define OSP_ABI_FIRST_IS_SIZE(type) \
  OSP_ABI_ASSERT(offsetof(type, struct_size) == 0, #type ": struct_size must be the first member")

/* A function table: struct_size, then `n` function pointers. */
#define OSP_ABI_TABLE(type, n)                                                  \
  OSP_ABI_FIRST_IS_SIZE(type);                                                  \
  OSP_ABI_ASSERT(sizeof(type) == sizeof(size_t) + (n) * sizeof(void (*)(void)), \
                 #type ": table size (struct_size + " #n " function pointers)")

/* ---- first member ---------------------------------------------------------------------- */
OSP_ABI_FIRST_IS_SIZE(osp_sink);
OSP_ABI_FIRST_IS_SIZE(osp_call_ctx);
OSP_ABI_FIRST_IS_SIZE(osp_host);
OSP_ABI_FIRST_IS_SIZE(osp_http_request);
OSP_ABI_FIRST_IS_SIZE(osp_http_response);
OSP_ABI_ASSERT(offsetof(osp_plugin_entry, magic) == 0, "osp_plugin_entry: magic must be first");
OSP_ABI_ASSERT(offsetof(osp_plugin_entry, struct_size) == sizeof(uint32_t),
               "osp_plugin_entry: struct_size must follow magic");

/* ---- function tables ------------------------------------------------------------------- */
OSP_ABI_TABLE(osp_kv_v1, 5);
OSP_ABI_TABLE(osp_metrics_v1, 3);
OSP_ABI_TABLE(osp_http_v1, 2);
OSP_ABI_TABLE(osp_factory_v1, 4);
OSP_ABI_TABLE(osp_payment_v1, 9);
OSP_ABI_TABLE(osp_carrier_v1, 8);
OSP_ABI_TABLE(osp_tax_v1, 3);
OSP_ABI_TABLE(osp_einvoice_v1, 4);

/* ---- numbers --------------------------------------------------------------------------- */
OSP_ABI_ASSERT(OSP_MAGIC == 0x3150534Fu, "magic is \"OSP1\"");
OSP_ABI_ASSERT(OSP_ABI_MAJOR == 1u && OSP_ABI_MINOR == 0u, "these checks describe ABI 1.0");
OSP_ABI_ASSERT(OSP_FLAG_UNLOAD_SAFE == 1u, "flag bits never move");
OSP_ABI_ASSERT(OSP_HTTP_HEADER_SECRET == 1u, "flag bits never move");
OSP_ABI_ASSERT(OSP_OK == 0 && OSP_E_INVALID_ARGUMENT == 1 && OSP_E_UNSUPPORTED == 2 && OSP_E_CONFIG == 3 &&
                   OSP_E_TRANSIENT == 4 && OSP_E_PERMANENT == 5 && OSP_E_DEADLINE == 6 && OSP_E_CANCELLED == 7 &&
                   OSP_E_INTERNAL == 8,
               "osp_status numbers never change");
OSP_ABI_ASSERT(OSP_RESULT_SUCCEEDED == 0 && OSP_RESULT_PENDING == 1 && OSP_RESULT_ACTION_REQUIRED == 2 &&
                   OSP_RESULT_DECLINED == 3 && OSP_RESULT_NOT_SUBMITTED == 4 && OSP_RESULT_UNKNOWN == 5,
               "osp_result_status numbers never change");
OSP_ABI_ASSERT(OSP_LOG_DEBUG == 0 && OSP_LOG_INFO == 1 && OSP_LOG_WARN == 2 && OSP_LOG_ERROR == 3,
               "osp_log_level numbers never change");
/* Enums cross the boundary by value; C and C++ must agree on their size. */
OSP_ABI_ASSERT(sizeof(osp_status) == sizeof(int), "osp_status is int-sized");
OSP_ABI_ASSERT(sizeof(osp_result_status) == sizeof(int), "osp_result_status is int-sized");
OSP_ABI_ASSERT(sizeof(osp_log_level) == sizeof(int), "osp_log_level is int-sized");

/* ---- ABI 1.0 layout on LP64 ------------------------------------------------------------ */
#if defined(__LP64__) || defined(_WIN64)
#define OSP_ABI_AT(type, field, offset) \
  OSP_ABI_ASSERT(offsetof(type, field) == (offset), #type "." #field " moved (ABI 1.0 LP64 layout)")
#define OSP_ABI_SIZE(type, size) OSP_ABI_ASSERT(sizeof(type) == (size), #type " changed size (ABI 1.0 LP64)")

OSP_ABI_SIZE(osp_str, 16);
OSP_ABI_SIZE(osp_bytes, 16);

OSP_ABI_AT(osp_sink, host_data, 8);
OSP_ABI_AT(osp_sink, write, 16);
OSP_ABI_AT(osp_sink, set_error, 24);
OSP_ABI_SIZE(osp_sink, 32);

OSP_ABI_AT(osp_call_ctx, organization_id, 8);
OSP_ABI_AT(osp_call_ctx, instance_id, 24);
OSP_ABI_AT(osp_call_ctx, request_id, 40);
OSP_ABI_AT(osp_call_ctx, idempotency_key, 56);
OSP_ABI_AT(osp_call_ctx, deadline_unix_ms, 72);
OSP_ABI_AT(osp_call_ctx, host_data, 80);
OSP_ABI_SIZE(osp_call_ctx, 88);

OSP_ABI_AT(osp_host, abi_major, 8);
OSP_ABI_AT(osp_host, abi_minor, 12);
OSP_ABI_AT(osp_host, host_name, 16);
OSP_ABI_AT(osp_host, host_version, 32);
OSP_ABI_AT(osp_host, host_data, 48);
OSP_ABI_AT(osp_host, log, 56);
OSP_ABI_AT(osp_host, now_unix_ms, 64);
OSP_ABI_AT(osp_host, is_expired, 72);
OSP_ABI_AT(osp_host, get_service, 80);
OSP_ABI_SIZE(osp_host, 88);

OSP_ABI_AT(osp_http_header, name, 0);
OSP_ABI_AT(osp_http_header, value, 16);
OSP_ABI_AT(osp_http_header, flags, 32);
OSP_ABI_SIZE(osp_http_header, 40);

OSP_ABI_AT(osp_http_request, method, 8);
OSP_ABI_AT(osp_http_request, url, 24);
OSP_ABI_AT(osp_http_request, headers, 40);
OSP_ABI_AT(osp_http_request, header_count, 48);
OSP_ABI_AT(osp_http_request, body, 56);
OSP_ABI_AT(osp_http_request, timeout_ms, 72);
OSP_ABI_SIZE(osp_http_request, 80);

OSP_ABI_AT(osp_http_response, status, 8);
OSP_ABI_AT(osp_http_response, headers, 16);
OSP_ABI_AT(osp_http_response, header_count, 24);
OSP_ABI_AT(osp_http_response, body, 32);
OSP_ABI_AT(osp_http_response, host_data, 48);
OSP_ABI_SIZE(osp_http_response, 56);

OSP_ABI_AT(osp_plugin_entry, abi_major, 8);
OSP_ABI_AT(osp_plugin_entry, built_minor, 12);
OSP_ABI_AT(osp_plugin_entry, min_host_minor, 16);
OSP_ABI_AT(osp_plugin_entry, flags, 20);
OSP_ABI_AT(osp_plugin_entry, build_signature, 24);
OSP_ABI_AT(osp_plugin_entry, id, 32);
OSP_ABI_AT(osp_plugin_entry, version, 40);
OSP_ABI_AT(osp_plugin_entry, name, 48);
OSP_ABI_AT(osp_plugin_entry, vendor, 56);
OSP_ABI_AT(osp_plugin_entry, negotiate, 64);
OSP_ABI_AT(osp_plugin_entry, init, 72);
OSP_ABI_AT(osp_plugin_entry, deinit, 80);
OSP_ABI_AT(osp_plugin_entry, get_interface, 88);
OSP_ABI_SIZE(osp_plugin_entry, 96);
#endif

#endif /* OSP_TESTS_ABI_LAYOUT_H */
