#!/usr/bin/env bash
# Proves a third party can build an ordersvc plugin from the installed SDK alone:
#   1. cmake --install <build> --prefix <tmp>/sdk --component sdk
#   2. configure and build examples/third-party-carrier in <tmp>/build against <tmp>/sdk
#      only (CMAKE_PREFIX_PATH), writing <tmp>/plugins/acme-freight/0.3.0/
#   3. the library exports exactly osp_plugin_entry_v1, and plugin.json has its sha256
#   4. the host's real registry loads it and calls carrier.quote_rates through
#      plugins::PluginInstances (ordersvc_sdk_plugin_check)
# Registered in tests/CMakeLists.txt (ctest -R sdk.out_of_tree_plugin); runs after the
# main build, which builds ordersvc_sdk_plugin_check. Set ORDERSVC_KEEP_TEST_TMP=1 to
# keep the temporary directory.
#
# usage: out_of_tree_test.sh <cmake> <main build dir> <example source dir> <check program>
#                            <generator> <c++ compiler> [<compiler launcher>]
set -euo pipefail

if (( $# < 6 )); then
  echo "usage: $0 <cmake> <build dir> <example dir> <check program> <generator> <c++ compiler> [<launcher>]" >&2
  exit 2
fi
cmake=$1 main_build=$2 example=$3 check=$4 generator=$5 cxx=$6 launcher=${7:-}
source_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

step() { echo; echo "== $* =="; }
die() { echo "FAILED: $*" >&2; exit 1; }

[[ -x $check ]] || die "$check is missing: build the tree first (target ordersvc_sdk_plugin_check is part of 'all')"
command -v nm >/dev/null || die "nm (binutils) is required"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ordersvc-sdk-test.XXXXXX")
cleanup() {
  if [[ ${ORDERSVC_KEEP_TEST_TMP:-} == 1 ]]; then
    echo "kept $tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

step "install the sdk component into $tmp/sdk"
"$cmake" --install "$main_build" --prefix "$tmp/sdk" --component sdk
cmake_dir=$tmp/sdk/lib/cmake/OrdersvcPluginSDK
for f in include/osp/osp.h include/osp/osp_types.h include/osp/osp_host.h include/osp/osp_entry.h \
         include/osp/osp_payment.h include/osp/osp_carrier.h include/osp/osp_tax.h include/osp/osp_einvoice.h \
         include/osp/sdk/plugin.hpp \
         share/ordersvc-plugin-sdk/schemas/common.json \
         share/ordersvc-plugin-sdk/schemas/carrier/quote_rates.request.json \
         lib/cmake/OrdersvcPluginSDK/OrdersvcPluginSDKConfig.cmake \
         lib/cmake/OrdersvcPluginSDK/OrdersvcPluginSDKConfigVersion.cmake \
         lib/cmake/OrdersvcPluginSDK/OrdersvcPluginSDKTargets.cmake \
         lib/cmake/OrdersvcPluginSDK/OrdersvcPlugin.cmake \
         lib/cmake/OrdersvcPluginSDK/WritePluginManifest.cmake \
         lib/cmake/OrdersvcPluginSDK/plugin.version; do
  [[ -f $tmp/sdk/$f ]] || die "the sdk install lacks $f"
done
# Every header and schema of the source tree is installed.
for dir in include/osp:plugin-api/include/osp schemas:plugin-api/schemas; do
  installed=${dir%%:*} source=${dir#*:}
  [[ $installed == schemas ]] && installed=share/ordersvc-plugin-sdk/schemas
  missing=$(cd "$source_root/$source" && find . -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.json' \) |
            while read -r f; do [[ -f $tmp/sdk/$installed/$f ]] || echo "$f"; done)
  [[ -z $missing ]] || die "not installed from $source: $missing"
done
# Relocatable: nothing in the package points back into the source or build tree.
if grep -rlF -e "$source_root" -e "$main_build" "$cmake_dir"; then
  die "the installed CMake package refers to the source or build tree"
fi

step "configure and build examples/third-party-carrier against $tmp/sdk"
configure=("$cmake" -S "$example" -B "$tmp/build" -G "$generator"
  -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_CXX_COMPILER="$cxx"
  -DCMAKE_PREFIX_PATH="$tmp/sdk"
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
  -DPLUGIN_OUTPUT_DIR="$tmp/plugins")
if [[ -n $launcher ]]; then
  configure+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher")
fi
"${configure[@]}"
"$cmake" --build "$tmp/build" --parallel 2
found_dir=$(sed -n 's/^OrdersvcPluginSDK_DIR:PATH=//p' "$tmp/build/CMakeCache.txt")
[[ $found_dir -ef $cmake_dir ]] || die "find_package used '$found_dir', not the installed $cmake_dir"
# Headers came from the install, never from the source tree.
if grep -F -- "$source_root/plugin-api" "$tmp/build/compile_commands.json"; then
  die "the example was compiled against the source tree's plugin-api"
fi

plugin_dir=$tmp/plugins/acme-freight/0.3.0
library=$plugin_dir/libacme-freight.so
step "check $plugin_dir"
[[ -f $library ]] || die "$library was not built"
[[ -f $plugin_dir/plugin.json ]] || die "$plugin_dir/plugin.json was not written"
exports=$(nm -D --defined-only "$library" | awk 'NF { print $NF }' | sed 's/@.*//' | sort -u)
echo "exported: $exports"
[[ $exports == osp_plugin_entry_v1 ]] || die "$library must export only osp_plugin_entry_v1, exports: ${exports//$'\n'/ }"
sha=$(sha256sum "$library" | cut -d' ' -f1)
grep -qF "\"$sha\"" "$plugin_dir/plugin.json" || die "plugin.json does not carry the library's sha256 $sha"

step "load and call it through plugins::PluginRegistry and plugins::PluginInstances"
"$check" "$tmp/plugins"

echo
echo "out-of-tree plugin test passed"
