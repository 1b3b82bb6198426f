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
. "$(dirname "$0")/../../usertools/lib/guest.sh"
l2fwd=$(realpath "$1") profile=$2 want=$3 missing=$4
log=$(mktemp)
json=$(mktemp)
trap 'rm -f "$log" "$json"' EXIT
guest_run "$log" --profile "$profile" --nics 2 --net tap \
	--timeout 400 --file "$l2fwd:/usr/bin/vmmio-l2fwd" \
	--ready-marker L2FWD-READY --host-hook "bash $VMMIO_TOP/test/guest/l2fwd-hook.sh" \
	-- "exec vmmio-l2fwd -l 0 -n 1 --iova-mode=pa --no-pci \
	--log-level=pmd.net.virtio_mmio:info $(vdev_pair) \
	-- --no-mac-updating -T 0"
guest_py - "$log" "$want" "$missing" <<'PY'
import sys
from vmmio_console import Checks, read, features, l2fwd_final
text = read(sys.argv[1])
want, missing = sys.argv[2].split(), sys.argv[3].split()
c = Checks()
feats = features(text)
c.check(sorted(f[0] for f in feats) == ["0", "1"], "both ports logged their features: %r" % feats)
for port, got, miss in feats:
    c.check(sorted(got) == sorted(want),
            "port %s runs with %s (expected %s)" % (port, " ".join(got), " ".join(want)))
    c.check(all(m in miss for m in missing),
            "port %s names %s among what it did not get (%s)" % (port, " ".join(missing),
                                                                 " ".join(miss)))
ports = l2fwd_final(text)
c.check(sorted(ports) == ["0", "1"], "L2FWD-FINAL for both ports: %r" % ports)
for p, s in ports.items():
    c.check(s["rx"] >= 300, "port %s received %d >= 300 frames" % (p, s["rx"]))
    c.check(s["ierrors"] == 0 and s["oerrors"] == 0, "port %s without errors: %r" % (p, s))
c.done(passed=None)
PY
bash "$VMMIO_TOP/usertools/main-job.sh" --profile "$profile" --duration 5 \
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
