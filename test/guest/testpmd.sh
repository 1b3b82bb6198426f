#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: DPDK's own dpdk-testpmd (built by the DPDK subproject, DPDK
# linked statically with its symbols exported) loads the PMD as a plugin with
# -d librte_net_virtio_mmio.so and forwards between the two NICs: io
# (tx_first, then frames and ping between the host namespaces), then mac
# (tx_first); its port info, statistics and the PMD's xstats.
# testpmd quits on the hook's "quit"; the guest command then waits for the
# stop that follows the hook and exits with testpmd's status
# (testpmd_guest_cmd, usertools/lib/guest.sh).
# dpdk-testpmd is dynamically linked against glibc, so the aarch64 loader,
# libc, libm and libgcc_s of the cross toolchain go into the guest too. EAL
# refuses a plugin below a world-writable directory: the guest's /init makes
# the initramfs root 0755.
# With an installed DPDK, its own bin/dpdk-testpmd is used instead (DPDK's
# default build links it statically with --export-dynamic, like the
# subproject's).
#   testpmd.sh <build dir>|<dpdk-testpmd> <librte_net_virtio_mmio.so> modern|legacy mmap|pread
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
where=$1 plugin=$(realpath "$2") mode=$3 access=$4
guest_mode "$mode"
testpmd_guest "$where" "$plugin"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
guest_run "$log" --nics 2 --net tap --access "$access" "${GUEST_MODE[@]}" \
	--timeout 400 "${TESTPMD_FILES[@]}" \
	--ready-marker "testpmd> " --host-hook "bash $VMMIO_TOP/test/guest/testpmd-hook.sh $log" \
	-- "$(testpmd_guest_cmd "$(vdev_pair ",access=$access") \
	-- -i --forward-mode=io --total-num-mbufs=8192")"
guest_py - "$log" <<'PY'
import re, sys
from vmmio_console import Checks, read
text = read(sys.argv[1])
c = Checks()
check = c.check
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
c.done()
PY
