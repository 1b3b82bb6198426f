#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: one device profile (run-guest.sh --profile: the feature set of
# a microVM monitor's virtio-net device, set through QEMU's properties).
# l2fwd forwards numbered frames intact both ways and ping (l2fwd-hook.sh);
# the PMD's INFO line shows the features the profile leaves; then a short
# iperf3 TCP run through the main job on the same profile.
#   profile.sh <vmmio-l2fwd binary> <profile> <features expected> <missing expected>
# <features expected>: the PMD's "features" list, exactly; <missing
# expected>: names that must be in its "asked for, not offered" list.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
l2fwd=$(realpath "$1") profile=$2 want=$3 missing=$4
log=$(mktemp)
json=$(mktemp)
trap 'rm -f "$log" "$json"' EXIT
set +e
bash "$top/usertools/run-guest.sh" --profile "$profile" --nics 2 --net tap \
	--timeout 400 --log "$log" --file "$l2fwd:/usr/bin/vmmio-l2fwd" \
	--ready-marker L2FWD-READY --host-hook "bash $top/test/guest/l2fwd-hook.sh" \
	-- "exec vmmio-l2fwd -l 0 -n 1 --iova-mode=pa --no-pci \
	--log-level=pmd.net.virtio_mmio:info \
	--vdev net_virtio_mmio0,dev=\$VMMIO_DEV_0 \
	--vdev net_virtio_mmio1,dev=\$VMMIO_DEV_1 \
	-- --no-mac-updating -T 0"
rc=$?
set -e
if [ $rc -ne 0 ]; then
	tail -40 "$log"
	echo "FAIL: guest or hook exit status $rc"
	exit 1
fi
python3 - "$log" "$want" "$missing" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read().replace("\r", "")
want, missing = sys.argv[2].split(), sys.argv[3].split()
fail = []
def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        fail.append(msg)
feats = re.findall(r"net_virtio_mmio(\d): features ([A-Z0-9_ ]+); asked for, not offered: ([A-Za-z0-9_ ]+)", text)
check(sorted(f[0] for f in feats) == ["0", "1"], "both ports logged their features: %r" % feats)
for port, got, miss in feats:
    check(sorted(got.split()) == sorted(want),
          "port %s runs with %s (expected %s)" % (port, got, " ".join(want)))
    check(all(m in miss.split() for m in missing),
          "port %s names %s among what it did not get (%s)" % (port, " ".join(missing), miss))
ports = {}
for line in text.splitlines():
    if line.startswith("L2FWD-FINAL"):
        kv = dict(x.split("=", 1) for x in line.split()[1:])
        ports[kv["port"]] = {k: int(v) for k, v in kv.items()}
check(sorted(ports) == ["0", "1"], "L2FWD-FINAL for both ports: %r" % ports)
for p, s in ports.items():
    check(s["rx"] >= 300, "port %s received %d >= 300 frames" % (p, s["rx"]))
    check(s["ierrors"] == 0 and s["oerrors"] == 0, "port %s without errors: %r" % (p, s))
if fail:
    sys.exit(1)
PY
bash "$top/usertools/main-job.sh" --profile "$profile" --duration 5 \
	--l2fwd "$l2fwd" --json "$json" | tail -8
python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["guest_status"] == 0, r
assert r.get("mbit_per_s", 0) > 0, "no iperf3 throughput: %r" % r
for p, s in r["ports"].items():
    assert s["rx"] > 1000 and s["tx"] > 1000, "port %s forwarded too little: %r" % (p, s)
    assert s["ierrors"] == 0 and s["oerrors"] == 0, "port %s errors: %r" % (p, s)
print("PASS: %.1f Mbit/s, %s retransmits" % (r["mbit_per_s"], r["retransmits"]))
PY
