#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: bad input gets a clear error and a non-zero exit, never a crash
# or a hang. One guest boot (modern; vfio: pread, the stock vfio-platform
# cannot mmap QEMU's 0x200-byte windows; or uio: the NICs on uio_pdrv_genirq)
# runs errors-guest.sh; this checks each case.
#   errors.sh <vmmio-l2fwd binary> [vfio|uio]
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
l2fwd=$1 kmod=${2:-vfio}
case $kmod in
vfio) guest=(--kmod vfio --access pread) ;;
uio) guest=(--kmod uio) ;;
*) echo "error: kmod must be vfio or uio" >&2; exit 2 ;;
esac
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# the guest runs every case; a failing status means it did not complete them
GUEST_OUT=/dev/null GUEST_TAIL=30 \
guest_run "$log" --no-stdin --net none --nics 1 "${guest[@]}" \
	--timeout 300 --file "$l2fwd:/usr/bin/vmmio-l2fwd" \
	--file "$VMMIO_TOP/test/guest/errors-guest.sh:/usr/bin/errors-guest" \
	-- "sh /usr/bin/errors-guest"

# case name, expected exit (nonzero|0), a message the PMD must print
guest_py - "$log" "$kmod" <<'PY'
import re, sys
from vmmio_console import read
kmod = sys.argv[2]
text = read(sys.argv[1])
cases = {}
for m in re.finditer(r"CASE-BEGIN (\S+)\n(.*?)CASE \1 rc=(\d+)", text, re.S):
    cases[m.group(1)] = (int(m.group(3)), m.group(2))
expect = [
    ("not-bound", "dev=a001000.virtio_mmio is bound to no driver, not vfio-platform or uio_pdrv_genirq"),
    ("no-dev", "exactly one dev=<platform device> is required"),
    ("bad-key", "bad devargs"),
    ("bad-access", "access= must be auto, mmap or pread"),
    ("bad-kmod", "kmod= must be auto, vfio or uio"),
    ("not-net", "DeviceID 0 is not virtio-net (1)"),
    ("bad-status-check", "status_check_ms= must be 0..60000 (0: no check)"),
    ("no-module", "neither vfio-platform nor uio_pdrv_genirq is loaded"),
]
if kmod == "vfio":
    expect += [
        ("wrong-dev", "dev=a0ff000.virtio_mmio: no such platform device; "
                      "virtio-mmio devices bound to vfio-platform: a003e00.virtio_mmio"),
        ("wrong-dev", "; to uio_pdrv_genirq: none"),
        ("iova-va", "VFIO runs without an IOMMU but EAL IOVA mode is VA: "
                    "add --iova-mode=pa to the EAL arguments"),
        ("mmap-refused", "cannot be mmap'ed (use access=pread"),
        ("no-uio", "uio_pdrv_genirq module not loaded"),
        ("uio-bound-vfio", "dev=a003e00.virtio_mmio is bound to vfio-platform, not uio_pdrv_genirq "
                           "(usertools/vmmio-devbind --bind uio_pdrv_genirq a003e00.virtio_mmio)"),
        ("no-vfio", "vfio or vfio-platform module not loaded"),
    ]
else:
    expect += [
        ("wrong-dev", "dev=a0ff000.virtio_mmio: no such platform device; "
                      "virtio-mmio devices bound to vfio-platform: none; "
                      "to uio_pdrv_genirq: a003e00.virtio_mmio"),
        ("iova-va", "UIO gives the device no IOMMU but EAL IOVA mode is VA: "
                    "add --iova-mode=pa to the EAL arguments"),
        ("pread-refused", "access=pread needs vfio-platform"),
        ("vfio-bound-uio", "vfio or vfio-platform module not loaded"),
        ("second-process", "dev=a003e00.virtio_mmio (/dev/uio0) is used by another process"),
    ]
fail = 0
for name, msg in expect:
    if name not in cases:
        print("FAIL %s: case did not run to completion" % name)
        fail = 1
        continue
    rc, out = cases[name]
    if rc == 0 or rc >= 124:
        print("FAIL %s: exit status %d (want an error exit, not 0, a timeout or a signal)" % (name, rc))
        fail = 1
    elif msg not in out:
        print("FAIL %s: message %r not printed; output:\n%s" % (name, msg, out[-1500:]))
        fail = 1
    else:
        print("ok   %s: rc=%d, %r" % (name, rc, msg))
# refused second port: EAL goes on (a failed vdev probe is not fatal), the
# first port forwards as if alone
rc, out = cases.get("same-dev-twice", (None, ""))
msg = "net_virtio_mmio1: dev=a003e00.virtio_mmio is already used by port 0"
if rc != 0 or msg not in out or "L2FWD-FINAL" not in out:
    print("FAIL same-dev-twice: rc=%s, want 0 with %r and the first port working; output:\n%s"
          % (rc, msg, out[-1500:]))
    fail = 1
else:
    print("ok   same-dev-twice: second port refused, first port works")
rc, out = cases.get("good", (None, ""))
if rc != 0 or "L2FWD-FINAL" not in out:
    print("FAIL good: the device did not work after the bad cases (rc=%s)" % rc)
    fail = 1
else:
    print("ok   good: device still usable")
if kmod == "uio":
    m = re.search(r"first-process rc=(\d+)", text)
    if m is None or m.group(1) != "0":
        print("FAIL second-process: the first process did not end well (%s)" %
              (m.group(0) if m else "no status"))
        fail = 1
    else:
        print("ok   first-process: kept the device while the second was refused")
sys.exit(fail)
PY
