/* Fixture "negotiate-refuses": passes the entry checks, then negotiate() answers
 * OSP_E_UNSUPPORTED to any minor. Expected: refused at step 5; init never called. */
#define FIXTURE_NEGOTIATE_STATUS OSP_E_UNSUPPORTED
#include "echo_plugin.h"
