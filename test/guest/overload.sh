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
. "$(dirname "$0")/../../usertools/lib/guest.sh"
cli=$1 mode=$2 access=$3
guest_mode "$mode"
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
GUEST_TAIL=30 guest_run "$run/console" --nics 2 --net tap --access "$access" "${GUEST_MODE[@]}" \
	--timeout 400 --file "$cli:/usr/bin/vmmio-testpmd" \
	--ready-marker "CLI-READY ports=2 fwd-lcores=1" \
	--host-hook "bash $VMMIO_TOP/test/guest/overload-hook.sh $run/console $run/host" \
	-- "stty -echo </dev/console 2>/dev/null
	exec vmmio-testpmd -l 0,1 -n 1 --iova-mode=pa --no-pci $(vdev_pair ",access=$access")"
guest_py - "$run/console" "$run/host" <<'PY'
import re, sys
from vmmio_console import read, tagged
text = read(sys.argv[1])
host = dict(x.split("=") for x in open(sys.argv[2]).read().split())
sent, tap_drop, offered = int(host["sent"]), int(host["tap_dropped"]), int(host["offered"])
stats = [kv for kv in tagged(text, "PORT-STATS") if kv.get("port") == "0"]
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
