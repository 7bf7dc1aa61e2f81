/* Fixture "init-fails": passes every entry check and negotiates, then init() returns
 * OSP_E_INTERNAL. Expected: refused after init, deinit never called, library unloaded;
 * the host keeps running. */
#define FIXTURE_INIT_STATUS OSP_E_INTERNAL
#include "echo_plugin.h"
