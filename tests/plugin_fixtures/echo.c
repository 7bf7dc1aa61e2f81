/* Fixture "good" (and both versions of "two-versions"): a correct echo tax plugin.
 * CMakeLists.txt builds it once per version with -DECHO_VERSION="1.0.0" / "2.0.0", so a
 * test tells which version served a call from the "version" field of the result.
 * Expected: loads, negotiates, initialises and serves tax.calculate. */
#include "echo_plugin.h"
