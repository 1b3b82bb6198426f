#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install what is missing, fetch DPDK, configure and build the native (host
# unit tests), asan (the same unit tests under AddressSanitizer and
# UndefinedBehaviorSanitizer) and aarch64 (static guest binaries) trees.
# Reuses everything cached: packages, the DPDK tarball, ccache, and existing
# build trees.
#   usertools/build.sh [native|asan|aarch64|all]
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

what=${1:-all}
cd "$VMMIO_TOP"
bash usertools/setup-deps.sh
bash usertools/fetch-dpdk.sh

export CCACHE_DIR=$VMMIO_CACHE/ccache
export CCACHE_MAXSIZE=5G
# An installed DPDK without the driver SDK (Debian's libdpdk-dev) cannot build a PMD.
dpdk_opt=--force-fallback-for=libdpdk
[ "${VMMIO_DPDK:-subproject}" = system ] && dpdk_opt=

setup() {
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		log "configuring $dir"
		meson setup "$dir" $dpdk_opt "$@" >"$VMMIO_CACHE/meson-setup-$(basename "$dir").log" 2>&1 ||
			{ tail -20 "$VMMIO_CACHE/meson-setup-$(basename "$dir").log" >&2; die "meson setup of $dir failed"; }
	fi
	log "building $dir"
	ninja -C "$dir" >"$VMMIO_CACHE/ninja-$(basename "$dir").log" 2>&1 ||
		{ grep -E 'error|FAILED' "$VMMIO_CACHE/ninja-$(basename "$dir").log" | head -20 >&2; die "build of $dir failed (log: $VMMIO_CACHE/ninja-$(basename "$dir").log)"; }
}

case $what in
native|all) setup build-native ;;&
# -Dsanitize (meson_options.txt), not -Db_sanitize: only this project's targets
# are instrumented; DPDK is built uninstrumented (with RTE_MALLOC_ASAN).
asan|all) setup build-asan -Dsanitize=address,undefined ;;&
aarch64|all) setup build-aarch64 --cross-file config/aarch64-linux-gnu.ini \
	-Dstatic_exe=true -Dunit_tests=false -Dguest_tests=true ;;
native|asan|aarch64|all) ;;
*) die "usage: $0 [native|asan|aarch64|all]" ;;
esac
