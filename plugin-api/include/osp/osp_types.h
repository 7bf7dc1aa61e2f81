/* osp_types.h -- Order Service Plugin ABI: basic types shared by every header.
 *
 * START HERE: osp_entry.h is the entry point of a plugin; this file holds what every
 * other header uses.
 *
 * Conventions (all headers):
 *  - C only, C11 and C++ (compiled both ways with -Wall -Wextra -pedantic in CI).
 *  - Every symbol starts with osp_ / OSP_. Types end in nothing, function-pointer fields
 *    are verbs.
 *  - Every struct that crosses the boundary starts with `size_t struct_size` and only
 *    ever grows at the end. A reader checks struct_size (OSP_HAS_FIELD) before touching a
 *    field added after version 1.0.
 *  - Strings are UTF-8 views {ptr, len}, not NUL-terminated unless a field says so.
 *  - Domain payloads are UTF-8 JSON whose shapes are the schemas in plugin-api/schemas/.
 *    Money is an integer count of minor units plus an ISO 4217 code; never a float.
 *  - Nothing throws, longjmps or aborts across the boundary.
 *
 * Thread tags used on every function (defined once, here):
 *  [control-thread]  called only from the host's plugin-control thread (load, reload,
 *                    instance creation); never concurrently with another [control-thread]
 *                    call into the same plugin.
 *  [any-thread]      may be called from any host thread, concurrently with itself and
 *                    with other [any-thread] functions, on the same instance too.
 *  [call-scoped]     may be called only from inside a call the host made into the plugin,
 *                    on the thread of that call, with that call's context.
 *
 * Ownership tags on pointers:
 *  [borrowed]        valid only until the function that received it returns.
 *  [plugin-owned: E] memory of the plugin, valid until event E (e.g. deinit).
 *  [host-owned: E]   memory of the host, valid until event E.
 */
#ifndef OSP_TYPES_H
#define OSP_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define OSP_EXPORT __declspec(dllexport)
#define OSP_CC __cdecl
#else
#define OSP_EXPORT __attribute__((visibility("default")))
#define OSP_CC
#endif

/* True when the struct pointed to by `ptr` is large enough to hold `field`. */
#define OSP_HAS_FIELD(ptr, type, field) ((ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* A borrowed UTF-8 string view. `ptr` may be NULL only when `len` is 0. */
typedef struct osp_str {
  const char* ptr;
  size_t len;
} osp_str;

/* A borrowed byte view (raw webhook bodies, labels, documents). */
typedef struct osp_bytes {
  const uint8_t* ptr;
  size_t len;
} osp_bytes;

/* Technical outcome of a call. A business outcome (a declined card, a rate not
 * available) is OSP_OK with the outcome in the JSON result. Numbers never change. */
typedef enum osp_status {
  OSP_OK = 0,
  OSP_E_INVALID_ARGUMENT = 1, /* the request breaks its schema or the operation's rules */
  OSP_E_UNSUPPORTED = 2,      /* the plugin does not implement this operation / option */
  OSP_E_CONFIG = 3,           /* the instance configuration cannot serve this call */
  OSP_E_TRANSIENT = 4,        /* nothing happened at the provider; retrying may succeed */
  OSP_E_PERMANENT = 5,        /* the provider refused for good (auth, validation) */
  OSP_E_DEADLINE = 6,         /* the call's deadline passed */
  OSP_E_CANCELLED = 7,        /* the host cancelled the call */
  OSP_E_INTERNAL = 8          /* a bug or fault inside the plugin */
} osp_status;

/* Business outcome of a provider operation, carried as the "status" string of the
 * result JSON (names in brackets). The three that matter most for money:
 *  DECLINED      the provider answered no; nothing to reconcile.
 *  NOT_SUBMITTED the request never reached the provider; safe to retry as is.
 *  UNKNOWN       it may or may not have happened (time-out, 5xx); the host must not
 *                retry blindly but reconcile later through the plugin's sync operation. */
typedef enum osp_result_status {
  OSP_RESULT_SUCCEEDED = 0,       /* "succeeded" */
  OSP_RESULT_PENDING = 1,         /* "pending": accepted, final outcome comes later */
  OSP_RESULT_ACTION_REQUIRED = 2, /* "action_required": customer must act (3-DS, approval link) */
  OSP_RESULT_DECLINED = 3,        /* "declined" */
  OSP_RESULT_NOT_SUBMITTED = 4,   /* "not_submitted" */
  OSP_RESULT_UNKNOWN = 5          /* "unknown" */
} osp_result_status;

/* Host-owned output of one call. The plugin writes its JSON result through write()
 * (in one or more chunks) or reports a failure through set_error(); it never returns
 * heap memory to the host.
 * [host-owned: until the call that received it returns] */
typedef struct osp_sink {
  size_t struct_size;
  void* host_data; /* opaque to the plugin */
  /* Appends bytes of the JSON result. [call-scoped] */
  void(OSP_CC* write)(const struct osp_sink* sink, osp_bytes chunk);
  /* Describes why the call failed; `code` is a short machine string
   * ("config.missing_field"), `message` is for humans and must not contain secrets.
   * The call must also return the same status. [call-scoped] */
  void(OSP_CC* set_error)(const struct osp_sink* sink, osp_status status, osp_str code, osp_str message);
} osp_sink;

/* Everything a call knows about who it serves. Tenant configuration is not here: it is
 * bound to the instance at creation.
 * [borrowed] */
typedef struct osp_call_ctx {
  size_t struct_size;
  osp_str organization_id;  /* the tenant */
  osp_str instance_id;      /* the plugin instance (one organization may have several) */
  osp_str request_id;       /* the REST/gRPC request that led here, for logs */
  osp_str idempotency_key;  /* identical on every retry of one logical operation */
  int64_t deadline_unix_ms; /* absolute; 0 means none. See osp_host.is_expired */
  const void* host_data;    /* opaque to the plugin; lets host services find the call */
} osp_call_ctx;

#ifdef __cplusplus
}
#endif

#endif /* OSP_TYPES_H */
