/* Fixture "missing-symbol": exports osp_plugin_entry_v2 instead of osp_plugin_entry_v1
 * (linked with missing_symbol.version, not plugin-api/cmake/plugin.version).
 * Expected: refused when the v1 symbol is not found; the library is unloaded again. */
#include "osp/osp_entry.h"

OSP_EXPORT const osp_plugin_entry* osp_plugin_entry_v2(void);

#define FIXTURE_ENTRY_FUNCTION osp_plugin_entry_v2
#include "echo_plugin.h"
