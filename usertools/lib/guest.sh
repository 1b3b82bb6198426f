# SPDX-License-Identifier: BSD-3-Clause
# Shared by the guest tests (test/guest/*.sh) and the scripts that boot a
# guest to measure (usertools/*.sh): the run-guest.sh options of a NIC mode
# and of a kernel interface, the two ports' --vdev options, a guest run with
# one failure report, and Python with the console parsers on its path.
# Sourced; sources common.sh (VMMIO_TOP, die, log).
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# guest_mode MODE: modern, legacy or packed (virtio-mmio Version 2, Version 1,
# or Version 2 offering packed virtqueues). Sets GUEST_MODE, the run-guest.sh
# options, and GUEST_RINGS, the layout the PMD must log (rings_check.py).
guest_mode() {
	case "$1" in
	modern) GUEST_MODE=() GUEST_RINGS=split ;;
	legacy) GUEST_MODE=(--legacy) GUEST_RINGS=split ;;
	packed) GUEST_MODE=(--packed) GUEST_RINGS=packed ;;
	*) die "mode must be modern, legacy or packed, not '$1'" ;;
	esac
}

# guest_access ACCESS: mmap or pread (the NICs on vfio-platform, registers
# mapped or read through the device fd) or uio (the NICs on uio_pdrv_genirq,
# registers mapped). Sets GUEST_KMOD, the run-guest.sh / main-job.sh
# options, and PMD_ACCESS, the PMD devargs (uio names kmod=uio so that the
# devarg path is tested; main-job detects it).
guest_access() {
	case "$1" in
	mmap | pread)
		GUEST_KMOD=(--kmod vfio --access "$1")
		PMD_ACCESS="access=$1"
		;;
	uio)
		GUEST_KMOD=(--kmod uio)
		PMD_ACCESS="access=mmap,kmod=uio"
		;;
	*)
		echo "error: access must be mmap, pread or uio, not '$1'" >&2
		exit 2
		;;
	esac
}

# vdev_pair [DEVARGS]: the --vdev options of ports 0 and 1 on the guest's two
# NICs, for a guest command line (the guest's shell expands $VMMIO_DEV_n).
# DEVARGS follow dev=, e.g. ",access=mmap" (with the leading comma).
vdev_pair() {
	# shellcheck disable=SC2016 # expanded by the guest's shell
	printf -- '--vdev net_virtio_mmio0,dev=$VMMIO_DEV_0%s --vdev net_virtio_mmio1,dev=$VMMIO_DEV_1%s' \
		"${1:-}" "${1:-}"
}

# guest_run LOG [run-guest.sh options...] -- COMMAND: boot the guest with
# its console copied to LOG. Returns if the guest command and the host hook
# succeeded; otherwise prints the last GUEST_TAIL (default 40) console lines,
# calls guest_on_fail if the script defines it, prints "FAIL: guest or hook
# exit status N" and exits 1. With GUEST_OUT set, run-guest.sh's own output
# goes to that file instead of the terminal (its last 5 lines on failure).
guest_run() {
	local log=$1 rc
	shift
	set +e
	if [ -n "${GUEST_OUT:-}" ]; then
		bash "$VMMIO_TOP/usertools/run-guest.sh" --log "$log" "$@" >"$GUEST_OUT" 2>&1
	else
		bash "$VMMIO_TOP/usertools/run-guest.sh" --log "$log" "$@"
	fi
	rc=$?
	set -e
	[ $rc -ne 0 ] || return 0
	[ "${GUEST_TAIL:-40}" -eq 0 ] || tail -n "${GUEST_TAIL:-40}" "$log"
	[ -z "${GUEST_OUT:-}" ] || tail -n 5 "$GUEST_OUT"
	! declare -F guest_on_fail >/dev/null || guest_on_fail
	echo "FAIL: guest or hook exit status $rc"
	exit 1
}

# guest_py ARGS...: python3 with usertools/lib on its path (vmmio_console:
# the console parsers; vmmio_report).
guest_py() {
	PYTHONPATH="$VMMIO_TOP/usertools/lib${PYTHONPATH:+:$PYTHONPATH}" python3 "$@"
}

# testpmd_guest WHERE PLUGIN: DPDK's dpdk-testpmd (WHERE: a build dir whose
# DPDK subproject built it, or the binary) with the PMD plugin and the
# libraries they need in the guest (TESTPMD_FILES, testpmd_guest_files);
# a test FAILs if there is none.
testpmd_guest() {
	local testpmd=$1
	[ -d "$1" ] && testpmd=$(ls "$1"/subprojects/dpdk*/app/dpdk-testpmd 2>/dev/null | head -1)
	[ -f "$testpmd" ] && [ -x "$testpmd" ] || { echo "FAIL: no dpdk-testpmd at $1"; exit 1; }
	testpmd_guest_files "$testpmd" "$2"
}

# testpmd_guest_cmd ARGS: the guest command running dpdk-testpmd ARGS (EAL
# options after the plugin's -d, then "-- -i ...") on lcores 0 and 1. It
# prints TESTPMD-EXIT=status when testpmd quits and then waits for the stop
# that follows the host hook; a testpmd that failed never showed its prompt,
# so the command exits at once. Never SIGINT a testpmd that is already
# quitting: its handler touches the freed command line (DPDK 24.11).
testpmd_guest_cmd() {
	printf '%s' "stty -echo </dev/console 2>/dev/null
	dpdk-testpmd -l 0,1 -n 1 --iova-mode=pa --no-pci \
	-d /usr/lib/dpdk/librte_net_virtio_mmio.so $1
	st=\$?
	trap 'exit \$st' INT TERM
	echo TESTPMD-EXIT=\$st
	[ \$st -eq 0 ] || exit \$st
	while :; do sleep 1; done"
}
