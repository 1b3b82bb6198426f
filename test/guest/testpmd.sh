#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: DPDK's own dpdk-testpmd (built by the DPDK subproject, DPDK
# linked statically with its symbols exported) loads the PMD as a plugin with
# -d librte_net_virtio_mmio.so and forwards between the two NICs: io
# (tx_first, then frames and ping between the host namespaces), then mac
# (tx_first); its port info, statistics and the PMD's xstats.
# testpmd quits on the hook's "quit"; the guest command then waits for the
# stop that follows the hook and exits with testpmd's status. Never SIGINT a
# testpmd that is already quitting: its handler (cmdline_quit) touches the
# freed command line (DPDK 24.11: "corrupted double-linked list").
# dpdk-testpmd is dynamically linked against glibc, so the aarch64 loader,
# libc, libm and libgcc_s of the cross toolchain go into the guest too. EAL
# refuses a plugin below a world-writable directory: the guest's /init makes
# the initramfs root 0755.
# With an installed DPDK, its own bin/dpdk-testpmd is used instead (DPDK's
# default build links it statically with --export-dynamic, like the
# subproject's).
#   testpmd.sh <build dir>|<dpdk-testpmd> <librte_net_virtio_mmio.so> modern|legacy mmap|pread
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
where=$1 plugin=$(realpath "$2") mode=$3 access=$4
opts=()
[ "$mode" = legacy ] && opts+=(--legacy)
testpmd=$where
[ -d "$where" ] && testpmd=$(ls "$where"/subprojects/dpdk*/app/dpdk-testpmd 2>/dev/null | head -1)
[ -f "$testpmd" ] && [ -x "$testpmd" ] || { echo "FAIL: no dpdk-testpmd at $where"; exit 1; }
. "$top/usertools/lib/common.sh"
testpmd_guest_files "$testpmd" "$plugin"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
bash "$top/usertools/run-guest.sh" --nics 2 --net tap --access "$access" "${opts[@]}" \
	--timeout 400 --log "$log" "${TESTPMD_FILES[@]}" \
	--ready-marker "testpmd> " --host-hook "bash $top/test/guest/testpmd-hook.sh $log" \
	-- "stty -echo </dev/console 2>/dev/null
	dpdk-testpmd -l 0,1 -n 1 --iova-mode=pa --no-pci \
	-d /usr/lib/dpdk/librte_net_virtio_mmio.so \
	--vdev net_virtio_mmio0,dev=\$VMMIO_DEV_0,access=$access \
	--vdev net_virtio_mmio1,dev=\$VMMIO_DEV_1,access=$access \
	-- -i --forward-mode=io --total-num-mbufs=8192
	st=\$?
	trap 'exit \$st' INT TERM
	echo TESTPMD-EXIT=\$st
	# a testpmd that failed never showed its prompt: no hook will stop us
	[ \$st -eq 0 ] || exit \$st
	while :; do sleep 1; done"
rc=$?
set -e
if [ $rc -ne 0 ]; then
	tail -40 "$log"
	echo "FAIL: guest or hook exit status $rc"
	exit 1
fi
python3 - "$log" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read().replace("\r", "")
fail = []
def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        fail.append(msg)
check(len(re.findall(r"Driver name: net_virtio_mmio\b", text)) == 2,
      "both ports are driven by the plugin (net_virtio_mmio)")
for i in (1, 2):
    check(re.search(r"MAC address: 52:54:00:12:34:0%d" % i, text) is not None,
          "port %d MAC 52:54:00:12:34:0%d" % (i - 1, i))
def fwd_stats(part):
    fwd = {}
    for m in re.finditer(r"Forward statistics for port (\d+)\s*-+\s*\n\s*RX-packets: (\d+)\s+RX-dropped: (\d+)"
                         r"\s+RX-total: \d+\s*\n\s*TX-packets: (\d+)\s+TX-dropped: (\d+)", part):
        fwd[m.group(1)] = [int(x) for x in m.group(2, 3, 4, 5)]
    return fwd
io_part, _, mac_part = text.partition("Set mac packet forwarding mode")
for name, part, least in (("io", io_part, 100), ("mac", mac_part, 0)):
    fwd = fwd_stats(part)
    check(sorted(fwd) == ["0", "1"], "%s: forward statistics for ports 0 and 1: %r" % (name, fwd))
    for p, q in (("0", "1"), ("1", "0")):
        if p in fwd and q in fwd:
            rx, tx = fwd[p][0], fwd[q][2] + fwd[q][3]
            # io: 100 frames each way plus ping; mac: nothing comes back.
            # tx of q = rx of p + the one tx_first burst (testpmd's default
            # burst, 32 packets)
            check(rx >= least, "%s: port %s RX-packets %d >= %d" % (name, p, rx, least))
            check(tx == rx + 32, "%s: port %s TX-packets+dropped %d == port %s RX %d + 32 (tx_first)"
                  % (name, q, tx, p, rx))
nic = re.findall(r"NIC statistics for port (\d+)\s*#+\s*\n\s*RX-packets: (\d+)", text)
check(len(nic) == 2 and all(int(n) >= 100 for _, n in nic), "NIC statistics RX: %r" % nic)
m = re.search(r"rx_q0_notifications: (\d+)", text)
check(m is not None, "show port xstats 0 lists the PMD's rx_q0_notifications")
check("Bye..." in text and "TESTPMD-EXIT=0" in text, "testpmd quit cleanly (status 0)")
if fail:
    sys.exit(1)
print("PASS")
PY
