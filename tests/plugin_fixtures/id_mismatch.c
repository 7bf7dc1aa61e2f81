/* Fixture "id-mismatch": plugin.json says "echo" 1.0.0 but the entry says "other" 1.0.0.
 * Expected: refused at entry check 4 (id and version must equal the manifest's). */
#define FIXTURE_ENTRY_ID "other"
#include "echo_plugin.h"
