#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The project's test command: builds what is missing, then runs the host unit
# tests (software device model) and the guest tests (real QEMU, vfio-platform).
#   usertools/run-tests.sh [--dpdk PREFIX] [--dpdk-aarch64 PREFIX] [unit|guest|all]
# --dpdk and --dpdk-aarch64 build against installed DPDKs (usertools/build.sh).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

what=all
dpdk_args=()
while [ $# -gt 0 ]; do
	case $1 in
	--dpdk|--dpdk-aarch64)
		[ $# -ge 2 ] || die "$1 needs a DPDK install prefix"
		dpdk_args+=("$1" "$2")
		shift 2
		;;
	unit|guest|all) what=$1; shift ;;
	*) die "usage: $0 [--dpdk PREFIX] [--dpdk-aarch64 PREFIX] [unit|guest|all]" ;;
	esac
done
cd "$VMMIO_TOP"
need_root
bash usertools/build.sh "${dpdk_args[@]}" all
rc=0
if [ "$what" = unit ] || [ "$what" = all ]; then
	meson test -C build-native --suite unit --print-errorlogs || rc=1
	# The same cases under ASan, LSan and UBSan; the sanitizer options are
	# the tree's default test setup (meson.build, sanitize).
	meson test -C build-asan --suite unit --print-errorlogs || rc=1
fi
if [ "$what" = guest ] || [ "$what" = all ]; then
	bash usertools/build-guest.sh >/dev/null
	meson test -C build-aarch64 --suite guest --print-errorlogs --num-processes 1 || rc=1
fi
[ $rc -eq 0 ] && log "all tests passed" || log "tests FAILED"
exit $rc
