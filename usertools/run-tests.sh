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
	# The same cases under ASan+UBSan (build-asan): any report fails the
	# case; UBSan recovers by default, hence halt_on_error. LeakSanitizer
	# stays on: every case ends with rte_eal_cleanup() and the EAL's own
	# malloc()s stay reachable from its globals, so it reports nothing but
	# real leaks. It sees libc malloc only: rte_malloc/mempool memory is the
	# EAL's mmap, where the tests count mbufs themselves (tp_mbufs_out).
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1 \
		meson test -C build-asan --suite unit --print-errorlogs || rc=1
fi
if [ "$what" = guest ] || [ "$what" = all ]; then
	bash usertools/build-guest.sh >/dev/null
	meson test -C build-aarch64 --suite guest --print-errorlogs --num-processes 1 || rc=1
fi
[ $rc -eq 0 ] && log "all tests passed" || log "tests FAILED"
exit $rc
