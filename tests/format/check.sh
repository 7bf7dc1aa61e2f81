#!/usr/bin/env bash
# Fails when a C/C++ file of the tree is not formatted as the root .clang-format says
# (clang-format 14, Debian 12's). Fix with: clang-format -i <file>.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
command -v clang-format >/dev/null || { echo "clang-format is missing (scripts/install-deps.sh --with-tests)"; exit 1; }
git ls-files -z -- 'host/*.h' 'host/*.cpp' 'tests/*.h' 'tests/*.cpp' 'tests/*.hpp' 'tests/*.c' 'bench/*.h' 'bench/*.cpp' \
  'plugins/*.h' 'plugins/*.cpp' 'plugins/*.hpp' 'plugin-api/*.h' 'plugin-api/*.hpp' 'plugin-api/*.c' \
  'plugin-api/*.cpp' 'examples/*.h' 'examples/*.cpp' 'examples/*.c' |
  xargs -0 clang-format --dry-run --Werror
echo "every C/C++ file is formatted"
