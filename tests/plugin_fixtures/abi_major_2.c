/* Fixture "abi-major-2": a complete plugin whose entry says it was built for ABI major 2.
 * Expected: refused at entry check 2 ("plugin ABI 2, host ABI 1"). */
#define FIXTURE_ABI_MAJOR 2u
#include "echo_plugin.h"
