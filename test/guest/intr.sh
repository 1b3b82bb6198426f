#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: l2fwd with interrupt-mode RX forwards frames intact, ping and
# iperf3; its lcore sleeps when idle (< 10% of a CPU); link down/up on the
# QEMU monitor reaches it as LSC events with the matching link status; the
# ports run packed virtqueues (RING_PACKED, the PMD's INFO line) exactly when
# packed.
#   intr.sh <vmmio-l2fwd binary> modern|legacy|packed [interrupt|adaptive] [mmap|pread|uio]
#           [swring|direct]  (devarg rx_intr; default: the PMD's)
#   (packed: modern NICs that offer packed virtqueues, run-guest.sh --packed)
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
l2fwd=$1 mode=$2 rxmode=${3:-interrupt} access=${4:-mmap}
scheme=${5:+,rx_intr=$5}
guest_access "$access"
guest_mode "$mode"
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
guest_run "$run/console" --nics 2 --net tap "${GUEST_KMOD[@]}" "${GUEST_MODE[@]}" \
	--timeout 400 --monitor "$run/hmp" \
	--file "$l2fwd:/usr/bin/vmmio-l2fwd" \
	--file "$VMMIO_TOP/usertools/lib/l2fwd-cpu.sh:/usr/bin/l2fwd-cpu" \
	--ready-marker L2FWD-CPU-READY --host-hook "bash $VMMIO_TOP/test/guest/intr-hook.sh" \
	-- "exec sh /usr/bin/l2fwd-cpu -l 0 -n 1 --iova-mode=pa --no-pci \
	--log-level=pmd.net.virtio_mmio:info $(vdev_pair ",$PMD_ACCESS$scheme") \
	-- --no-mac-updating -T 0 --rx-mode $rxmode"
python3 "$VMMIO_TOP/test/guest/rings_check.py" "$run/console" "$GUEST_RINGS"
guest_py - "$run/console" <<'PY'
import re, sys
from vmmio_console import read, l2fwd_final
text = read(sys.argv[1])
ports = l2fwd_final(text)
assert len(ports) == 2, "missing L2FWD-FINAL lines"
for p, s in ports.items():
    assert s["rx"] >= 300 and s["ierrors"] == 0 and s["oerrors"] == 0, (p, s)
    assert s["wakeups"] > 0, "port %s never woke on an RX interrupt: %r" % (p, s)
m = re.search(r"L2FWD-SLEEPS at=L2FWD-FINAL sleeps=(\d+)", text)
assert m and int(m.group(1)) > 0, "the lcore never slept"
pre = re.search(r"L2FWD-CPU-IDLE-PRE ticks=(\d+) ms=(\d+)", text)
assert pre, "no idle CPU measurement before traffic"
pre_pct = 1000.0 * int(pre.group(1)) / int(pre.group(2))  # ticks are 1/100 s
samples = {}
for ph, t, ms in re.findall(r"L2FWD-CPU phase=(\w+) ticks=(-?\d+) ms=(\d+)", text):
    samples.setdefault(ph, []).append((int(t), int(ms)))
def pct(ph):
    s = samples.get(ph, [])
    ms = sum(m for _, m in s)
    return 1000.0 * sum(t for t, _ in s) / ms if ms >= 2000 else None
idle_pct, busy_pct = pct("idle"), pct("traffic")
fmt = lambda v: "n/a" if v is None else "%.1f%%" % v
print("lcore CPU: idle before traffic %s, idle after traffic %s, during traffic %s"
      % (fmt(pre_pct), fmt(idle_pct), fmt(busy_pct)))
assert idle_pct is not None, "no idle phase of 2 s or more measured: %r" % samples
assert pre_pct < 10, "lcore used %.1f%% of a CPU while idle before traffic" % pre_pct
assert idle_pct < 10, "lcore used %.1f%% of a CPU while idle after traffic" % idle_pct
lsc = re.findall(r"L2FWD-LSC port=(\d+) link=(\w+)", text)
print("LSC events: %r" % lsc)
assert ("0", "down") in lsc and ("0", "up") in lsc, "link down/up of NIC 0 not seen: %r" % lsc
assert lsc.index(("0", "down")) < len(lsc) - 1 - lsc[::-1].index(("0", "up")), \
    "link up not seen after link down: %r" % lsc
assert all(p == "0" for p, _ in lsc), "LSC on a port whose link did not change: %r" % lsc
print("PASS: %r" % ports)
PY
