#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install what is missing, fetch DPDK, configure and build the native (host
# unit tests), asan (the same unit tests under AddressSanitizer and
# UndefinedBehaviorSanitizer) and aarch64 (static guest binaries) trees.
# Reuses everything cached: packages, the DPDK tarball, ccache, and existing
# build trees.
#   usertools/build.sh [--dpdk PREFIX] [--dpdk-aarch64 PREFIX] [native|asan|aarch64|all]
# A new tree builds DPDK 22.11 LTS as a subproject (from Debian's source
# package). --dpdk takes an installed x86_64 DPDK (22.11 or later, built with
# -Denable_driver_sdk=true) for the native and asan trees, found through
# PREFIX's pkg-config file; --dpdk-aarch64 an aarch64 one (cross built,
# installed under PREFIX) for the aarch64 tree; "subproject" as PREFIX goes
# back to the bundled one. A tree configured for another DPDK is wiped and
# configured again; without the options, each tree keeps its DPDK.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

usage() {
	die "usage: $0 [--dpdk PREFIX] [--dpdk-aarch64 PREFIX] [native|asan|aarch64|all]"
}

# dpdk_arg PREFIX|subproject: absolute prefix (the script changes directory).
dpdk_arg() {
	if [ "$1" = subproject ]; then echo subproject; else realpath -m "$1"; fi
}

dpdk_native= dpdk_aarch64= what=all
while [ $# -gt 0 ]; do
	case $1 in
	--dpdk) [ $# -ge 2 ] || usage; dpdk_native=$(dpdk_arg "$2"); shift 2 ;;
	--dpdk-aarch64) [ $# -ge 2 ] || usage; dpdk_aarch64=$(dpdk_arg "$2"); shift 2 ;;
	native|asan|aarch64|all) what=$1; shift ;;
	*) usage ;;
	esac
done
# Compatibility: VMMIO_DPDK=system takes whatever pkg-config finds natively.
[ "${VMMIO_DPDK:-subproject}" = system ] && [ -z "$dpdk_native" ] && dpdk_native=system

# pkgconfig_dir PREFIX: the directory holding PREFIX's libdpdk.pc (DPDK
# installs it under lib/pkgconfig or lib/<multiarch>/pkgconfig).
pkgconfig_dir() {
	local pc
	[ -d "$1" ] || die "DPDK prefix $1: no such directory"
	pc=$(find "$1" -path '*/pkgconfig/libdpdk.pc' 2>/dev/null | head -1)
	[ -n "$pc" ] || die "no libdpdk.pc under $1: is DPDK installed there (meson install)?"
	[ -n "$(find "$1" -name bus_vdev_driver.h 2>/dev/null | head -1)" ] ||
		die "DPDK under $1 has no driver SDK headers (bus_vdev_driver.h): rebuild it with -Denable_driver_sdk=true"
	dirname "$pc"
}

cd "$VMMIO_TOP"
bash usertools/setup-deps.sh
bash usertools/fetch-dpdk.sh

export CCACHE_DIR=$VMMIO_CACHE/ccache
export CCACHE_MAXSIZE=5G

# setup DIR DPDK [meson options...]: DPDK is "subproject", "system" (native
# pkg-config as found), an install prefix, or empty (what DIR has).
setup() {
	local dir=$1 dpdk=$2 name was
	shift 2
	name=$(basename "$dir")
	# trees from before the marker existed were all configured for the subproject
	was=$(cat "$dir/.vmmio-dpdk" 2>/dev/null || echo subproject)
	[ -n "$dpdk" ] || dpdk=$was
	local opts=()
	case $dpdk in
	subproject) opts+=(--force-fallback-for=libdpdk) ;;
	system) ;;
	*)
		local pcdir
		pcdir=$(pkgconfig_dir "$dpdk")
		if [ "$name" = build-aarch64 ]; then
			opts+=(--cross-file config/aarch64-linux-gnu-pkgconfig.ini "-Dpkg_config_path=$pcdir")
		else
			opts+=("-Dpkg_config_path=$pcdir")
		fi
		;;
	esac
	if [ -f "$dir/build.ninja" ] && [ "$was" != "$dpdk" ]; then
		log "$dir was configured for DPDK '$was': configuring it again for '$dpdk'"
		rm -rf "$dir"
	fi
	if [ ! -f "$dir/build.ninja" ]; then
		log "configuring $dir (DPDK: $dpdk)"
		# the pkg-config cross file must follow the base cross file in "$@"
		meson setup "$dir" "$@" "${opts[@]}" >"$VMMIO_CACHE/meson-setup-$name.log" 2>&1 ||
			{ tail -20 "$VMMIO_CACHE/meson-setup-$name.log" >&2; die "meson setup of $dir failed"; }
		echo "$dpdk" >"$dir/.vmmio-dpdk"
		grep -h '^Message: DPDK ' "$VMMIO_CACHE/meson-setup-$name.log" >&2 || true
	fi
	log "building $dir"
	ninja -C "$dir" >"$VMMIO_CACHE/ninja-$name.log" 2>&1 ||
		{ grep -E 'error|FAILED' "$VMMIO_CACHE/ninja-$name.log" | head -20 >&2; die "build of $dir failed (log: $VMMIO_CACHE/ninja-$name.log)"; }
}

case $what in
native|all) setup build-native "$dpdk_native" ;;&
# -Dsanitize (meson_options.txt), not -Db_sanitize: only this project's targets
# are instrumented; DPDK is built uninstrumented (with RTE_MALLOC_ASAN).
asan|all) setup build-asan "$dpdk_native" -Dsanitize=address,undefined ;;&
aarch64|all) setup build-aarch64 "$dpdk_aarch64" --cross-file config/aarch64-linux-gnu.ini \
	-Dstatic_exe=true -Dunit_tests=false -Dguest_tests=true ;;
esac
