/* Fixture "bad-magic": a complete plugin whose entry starts with 0xDEADBEEF, not OSP_MAGIC.
 * Expected: refused at entry check 1 ("not an ordersvc plugin"); negotiate and init are
 * never called. */
#define FIXTURE_MAGIC 0xDEADBEEFu
#include "echo_plugin.h"
