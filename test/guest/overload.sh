#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: overload accounting. vmmio-testpmd runs with its ports started
# but forwarding stopped; the host sends a counted burst of frames, far more
# than the receive ring holds, into NIC 0's tap; then the CLI forwards
# (rxonly) until it has taken all that waited. Every frame must be accounted
# for: the port's rx-packets + rx-missed + rx-nombuf + rx-errors plus the
# frames the host's tap dropped before the device equal what the tap was
# offered: the burst, plus the rare stray frame of the host (at most 3).
#   overload.sh <vmmio-testpmd binary> modern|legacy mmap|pread
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cli=$1 mode=$2 access=$3
opts=()
[ "$mode" = legacy ] && opts+=(--legacy)
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
eal="-n 1 --iova-mode=pa --no-pci \
	--vdev net_virtio_mmio0,dev=\$VMMIO_DEV_0,access=$access \
	--vdev net_virtio_mmio1,dev=\$VMMIO_DEV_1,access=$access"
set +e
bash "$top/usertools/run-guest.sh" --nics 2 --net tap --access "$access" "${opts[@]}" \
	--timeout 400 --log "$run/console" --file "$cli:/usr/bin/vmmio-testpmd" \
	--ready-marker "CLI-READY ports=2 fwd-lcores=1" \
	--host-hook "bash $top/test/guest/overload-hook.sh $run/console $run/host" \
	-- "stty -echo </dev/console 2>/dev/null
	exec vmmio-testpmd -l 0,1 $eal"
rc=$?
set -e
if [ $rc -ne 0 ]; then
	tail -30 "$run/console"
	echo "FAIL: guest or hook exit status $rc"
	exit 1
fi
python3 - "$run/console" "$run/host" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read().replace("\r", "")
host = dict(x.split("=") for x in open(sys.argv[2]).read().split())
sent, tap_drop, offered = int(host["sent"]), int(host["tap_dropped"]), int(host["offered"])
stats = [dict(x.split("=", 1) for x in l.split()[1:])
         for l in text.split("\n") if l.startswith("PORT-STATS port=0 ")]
assert len(stats) >= 2, "no port stats after the drain: %r" % stats
before, after = ({k: int(v) for k, v in s.items()} for s in stats[-2:])
print("sent %d: tap dropped %d, port 0 rx %d, missed %d, nombuf %d, errors %d"
      % (sent, tap_drop, after["rx-packets"], after["rx-missed"],
         after["rx-nombuf"], after["rx-errors"]))
assert before["rx-packets"] == 0, "frames taken while forwarding was stopped: %r" % before
assert tap_drop > 0, "the burst did not overload the device (nothing dropped by the tap)"
assert after["rx-packets"] >= 256, "fewer frames than one receive ring: %r" % after
assert sent <= offered <= sent + 3, "the tap took %d frames for %d sent" % (offered, sent)
total = after["rx-packets"] + after["rx-missed"] + after["rx-nombuf"] + after["rx-errors"] + tap_drop
assert total == offered, "%d frames unaccounted for (%d counted of %d offered, %d sent)" % (
    offered - total, total, offered, sent)
print("PASS: every frame accounted for")
PY
