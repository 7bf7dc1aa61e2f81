#!/usr/bin/env bash
# ctest openapi.lint: Redocly CLI lints api/openapi.json with redocly.yaml (and
# .redocly.lint-ignore.yaml) at the repository root. Fails on any error, and on any
# warning (ctest's FAIL_REGULAR_EXPRESSION). The pinned CLI is installed under .tools/node
# by scripts/install-deps.sh --with-tests; a missing CLI is a failure, never a skip.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
redocly="$root/.tools/node/node_modules/.bin/redocly"
if [[ ! -x "$redocly" ]]; then
  echo "openapi.lint: $redocly not found; run scripts/install-deps.sh --with-tests" >&2
  exit 1
fi
cd "$root"
# No usage reports and no update checks: the test must not depend on the network.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
exec "$redocly" lint --config redocly.yaml api/openapi.json
