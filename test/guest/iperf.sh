#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: the main job in short (l2fwd in the guest forwarding an iperf3
# TCP run between two host namespaces); checks the JSON summary it writes,
# and that the ports run packed virtqueues (RING_PACKED) exactly when packed.
#   iperf.sh <vmmio-l2fwd binary> modern|legacy|packed mmap|pread|uio
#   (packed: modern NICs that offer packed virtqueues, main-job.sh --packed)
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
l2fwd=$(realpath "$1") mode=$2 access=$3
guest_access "$access"
guest_mode "$mode"
json=$(mktemp)
trap 'rm -f "$json"' EXIT
bash "$VMMIO_TOP/usertools/main-job.sh" --"$mode" "${GUEST_KMOD[@]}" --duration 5 \
	--l2fwd "$l2fwd" --json "$json" | tail -8
python3 "$VMMIO_TOP/test/guest/rings_check.py" --json "$json" "$GUEST_RINGS"
python3 - "$json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["guest_status"] == 0, r
assert r.get("mbit_per_s", 0) > 0, "no iperf3 throughput: %r" % r
ports = r["ports"]
assert sorted(ports) == ["0", "1"], ports
for p, s in ports.items():
    assert s["rx"] > 1000 and s["tx"] > 1000, "port %s forwarded too little: %r" % (p, s)
    assert s["ierrors"] == 0 and s["oerrors"] == 0, "port %s errors: %r" % (p, s)
print("PASS: %.1f Mbit/s, %s retransmits" % (r["mbit_per_s"], r["retransmits"]))
PY
