/* osp_entry.h -- START HERE: the entry point of an ordersvc plugin, version negotiation,
 * and the factory that turns a configuration into an instance.
 *
 * A plugin is a shared library that exports exactly one function, osp_plugin_entry_v1
 * (the ABI major is in its name), beside a plugin.json manifest. The host reads the
 * manifest without loading the library; then it loads the library (RTLD_LOCAL, each
 * version from its own directory), calls the entry function and checks, in order:
 *   1. magic == OSP_MAGIC and struct_size large enough, else "not an ordersvc plugin";
 *   2. abi_major == OSP_ABI_MAJOR, else refused ("plugin ABI 2, host ABI 1");
 *   3. min_host_minor <= the host's minor, else refused ("needs host minor 3, host is 1");
 *   4. id and version equal the manifest's;
 *   5. negotiate(): the host proposes its minor, the plugin answers the one it speaks;
 *   6. init(host services).
 * A refusal at any step is logged naming both sides; the host keeps running.
 */
#ifndef OSP_ENTRY_H
#define OSP_ENTRY_H

#include "osp/osp_host.h"
#include "osp/osp_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OSP_MAGIC 0x3150534Fu /* "OSP1" read as little-endian bytes */
#define OSP_ABI_MAJOR 1u
#define OSP_ABI_MINOR 0u /* additions only; see plugin-api/CHANGELOG.md */

/* Describes how the library was built, so a mismatch is caught before any call:
 * pointer width, byte order, money as 64-bit minor units. */
#define OSP_BUILD_SIGNATURE_STRINGIFY2(x) #x
#define OSP_BUILD_SIGNATURE_STRINGIFY(x) OSP_BUILD_SIGNATURE_STRINGIFY2(x)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define OSP_BUILD_SIGNATURE_ENDIAN "be"
#else
#define OSP_BUILD_SIGNATURE_ENDIAN "le"
#endif
#define OSP_BUILD_SIGNATURE \
  "p" OSP_BUILD_SIGNATURE_STRINGIFY(__SIZEOF_POINTER__) "," OSP_BUILD_SIGNATURE_ENDIAN ",money=i64minor"

/* osp_plugin_entry.flags */
enum {
  /* The plugin starts no threads of its own, registers no thread-local destructors or
   * atexit handlers, and keeps no callbacks in the host after deinit: the host may unmap
   * the library once its last instance is gone. Without it the library stays mapped. */
  OSP_FLAG_UNLOAD_SAFE = 1u << 0
};

typedef struct osp_instance osp_instance; /* opaque, plugin-owned */

/* ------------------------------------------------------------------------------------
 * The factory, interface id "osp.factory/1". Every plugin has one.
 */
#define OSP_INTERFACE_FACTORY_V1 "osp.factory/1"

typedef struct osp_factory_v1 {
  size_t struct_size;
  /* Writes the JSON Schema (draft 2020-12) of the instance configuration. Properties
   * marked "x-secret": true are encrypted at rest by the host and never shown again.
   * [any-thread] */
  osp_status(OSP_CC* get_config_schema)(const osp_sink* out);
  /* Checks a configuration without creating anything. Writes {"valid":true} or
   * {"valid":false,"errors":[{"path":"/api_key","message":"…"}]} and returns OSP_OK in
   * both cases; OSP_E_INVALID_ARGUMENT only when `config_json` is not JSON.
   * [any-thread] */
  osp_status(OSP_CC* validate_config)(osp_bytes config_json, const osp_sink* out);
  /* Creates an instance for one organization's configuration. On success stores a
   * plugin-owned handle in `*instance`; on failure returns OSP_E_CONFIG (or another
   * status) with the reason through `err`. `ctx` carries the organization and the
   * instance id the host assigned. [control-thread] */
  osp_status(OSP_CC* create_instance)(const osp_call_ctx* ctx, osp_bytes config_json, osp_instance** instance,
                                      const osp_sink* err);
  /* Destroys an instance. The host guarantees no call is running on it and none will
   * follow. [control-thread] */
  void(OSP_CC* destroy_instance)(osp_instance* instance);
} osp_factory_v1;

/* The common shape of every provider operation (payment, carrier, tax, e-invoice):
 * `request_json` [borrowed] follows the operation's request schema; the result JSON goes
 * to `out`. Returns OSP_OK when the operation reached a business outcome (including
 * "declined"). [any-thread] on one instance, concurrently. */
typedef osp_status(OSP_CC* osp_operation_fn)(osp_instance* instance, const osp_call_ctx* ctx, osp_bytes request_json,
                                             const osp_sink* out);

/* ------------------------------------------------------------------------------------
 * The entry struct. [plugin-owned: valid while the library is loaded]
 */
typedef struct osp_plugin_entry {
  uint32_t magic;              /* OSP_MAGIC, read first */
  uint32_t struct_size;        /* sizeof(osp_plugin_entry) the plugin was built with */
  uint32_t abi_major;          /* OSP_ABI_MAJOR the plugin was built with */
  uint32_t built_minor;        /* OSP_ABI_MINOR the plugin was built with */
  uint32_t min_host_minor;     /* lowest host minor it can work with (<= built_minor) */
  uint32_t flags;              /* OSP_FLAG_* */
  const char* build_signature; /* OSP_BUILD_SIGNATURE, NUL-terminated */
  const char* id;              /* reverse-DNS or short id, e.g. "cash"; NUL-terminated */
  const char* version;         /* semantic version, e.g. "1.2.0"; NUL-terminated */
  const char* name;            /* human name; NUL-terminated */
  const char* vendor;          /* NUL-terminated */

  /* In: the host's highest minor. Out: the minor the plugin will speak, at most the
   * host's and at least min_host_minor. Returns OSP_E_UNSUPPORTED to refuse.
   * Called before init. [control-thread] */
  osp_status(OSP_CC* negotiate)(uint32_t* inout_minor);

  /* Initialises the library with the host services. Idempotent: the host may call it
   * again (a second host image in one process); each successful init is matched by one
   * deinit and the plugin keeps a count.
   * Rationale: a loader or test harness may load the same library twice; a counted
   * init/deinit pair keeps both users working (CLAP entry.h).
   * `host` [host-owned: until the matching deinit returns]; `plugin_dir` [borrowed]
   * is the directory of plugin.json. [control-thread] */
  osp_status(OSP_CC* init)(const osp_host* host, const char* plugin_dir);
  /* Undoes one init. After the last one, no host service may be used. [control-thread] */
  void(OSP_CC* deinit)(void);

  /* The table of an interface by versioned id ("osp.factory/1", "osp.payment/1",
   * "osp.carrier/1", "osp.tax/1", "osp.einvoice/1"), or NULL. The table is
   * [plugin-owned: valid until the last deinit]. [any-thread] after init. */
  const void*(OSP_CC* get_interface)(const char* interface_id);
} osp_plugin_entry;

/* The only symbol a plugin exports: a function (not data), so a missing or mistyped
 * symbol fails at lookup, not at first use. Returns a pointer to a constant struct.
 * [any-thread], callable before init. */
#define OSP_ENTRY_SYMBOL_V1 "osp_plugin_entry_v1"
typedef const osp_plugin_entry*(OSP_CC* osp_plugin_entry_fn)(void);
OSP_EXPORT const osp_plugin_entry* osp_plugin_entry_v1(void);

#ifdef __cplusplus
}
#endif

#endif /* OSP_ENTRY_H */
