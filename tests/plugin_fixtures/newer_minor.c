/* Fixture "newer-minor": built against ABI 1.7 and needing a host of at least minor 7.
 * Expected: refused at entry check 3 ("needs host minor 7, host is 0") while the host is
 * at minor 0..6; negotiate would also refuse a lower minor. */
#define FIXTURE_BUILT_MINOR 7u
#define FIXTURE_MIN_HOST_MINOR 7u
#include "echo_plugin.h"
