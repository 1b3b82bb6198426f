#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: TCP through l2fwd with offloads keeps its super-frames.
# Runs the main job with offloads (default) and with --no-offload, then checks
# on the host taps that the guest forwarded GSO frames whole (mean frame far
# above the MTU) only with offloads, and prints both iperf3 rates.
#   offload.sh <vmmio-l2fwd binary> modern|legacy
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
l2fwd=$(realpath "$1") mode=$2
dur=${OFFLOAD_TEST_DURATION:-8}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for o in offload no-offload; do
	bash "$VMMIO_TOP/usertools/main-job.sh" --"$mode" --access mmap --duration "$dur" \
		--"$o" --l2fwd "$l2fwd" --json "$dir/$o.json" | tail -9
done
python3 - "$dir/offload.json" "$dir/no-offload.json" <<'PY'
import json, sys
on, off = (json.load(open(p)) for p in sys.argv[1:3])
MTU_FRAME = 1514
for r in (on, off):
    assert r["guest_status"] == 0, r
    assert r.get("mbit_per_s", 0) > 0, "no iperf3 throughput: %r" % r
    assert "taps" in r, "no tap counters: %r" % r.get("taps_error")
    for p, s in r["ports"].items():
        assert s["ierrors"] == 0 and s["oerrors"] == 0, "port %s errors: %r" % (p, s)
# offloads negotiated and enabled on both ports
assert sorted(on["offloads_active"]) == ["0", "1"], on["offloads_active"]
for p, o in on["offloads_active"].items():
    assert "TCP_LRO" in o["rx"] and "TCP_CKSUM" in o["rx"], (p, o)
    assert "TCP_TSO" in o["tx"] and "TCP_CKSUM" in o["tx"], (p, o)
for p, o in off["offloads_active"].items():
    assert o["rx"] == [] and o["tx"] == [], (p, o)
# super-frames: handed to the guest whole and forwarded whole
fwd_on, fwd_off = on["taps"]["tap1_rx"], off["taps"]["tap1_rx"]
assert on["taps"]["tap0_tx"]["mean_frame_bytes"] > 8 * MTU_FRAME, on["taps"]
assert fwd_on["packets"] > 100, fwd_on
assert fwd_on["mean_frame_bytes"] > 8 * MTU_FRAME, \
    "guest did not forward super-frames: %r" % on["taps"]
assert 0 < fwd_off["mean_frame_bytes"] <= MTU_FRAME, off["taps"]
print("iperf3 through the guest: offloads on %.1f Mbit/s (%d retransmits, mean frame %.0f B), "
      "off %.1f Mbit/s (%d retransmits, mean frame %.0f B): x%.2f" % (
      on["mbit_per_s"], on["retransmits"], fwd_on["mean_frame_bytes"],
      off["mbit_per_s"], off["retransmits"], fwd_off["mean_frame_bytes"],
      on["mbit_per_s"] / off["mbit_per_s"]))
print("PASS")
PY
