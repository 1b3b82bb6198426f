#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The project's test command: builds what is missing, then runs the host unit
# tests (software device model) and the guest tests (real QEMU, vfio-platform).
#   usertools/run-tests.sh [unit|guest|all]
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

what=${1:-all}
cd "$VMMIO_TOP"
need_root
bash usertools/build.sh all
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
