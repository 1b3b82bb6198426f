#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest test: partial checksums never reach the wire. The host's TCP hands
# the device frames with a partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM);
# l2fwd forwards iperf3 TCP once configured as DPDK's example routers are
# (RX checksum offload, no TX offload, frames untouched: the PMD must finish
# the checksum) and once with both (TX checksum offload finishes it). The
# host namespaces' TcpInCsumErrors must not move, and TCP must flow.
#   csum.sh <vmmio-l2fwd binary> modern|legacy
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"
l2fwd=$(realpath "$1") mode=$2
json=$(mktemp)
trap 'rm -f "$json"' EXIT
for variant in --rx-csum-only --offload; do
	echo "== l2fwd $variant"
	bash "$VMMIO_TOP/usertools/main-job.sh" --"$mode" --duration 5 "$variant" \
		--l2fwd "$l2fwd" --json "$json" | tail -9 || true
	guest_py - "$json" "$variant" <<'PY'
import json, sys
from vmmio_console import Checks
r = json.load(open(sys.argv[1]))
c = Checks(prefix=sys.argv[2] + ": ")
check = c.check
check(r["guest_status"] == 0, "guest status 0")
check(r.get("mbit_per_s", 0) > 100, "TCP flows: %s Mbit/s" % r.get("mbit_per_s"))
check(r.get("tcp_in_csum_errors") == 0,
      "host namespaces counted %s TCP checksum errors" % r.get("tcp_in_csum_errors"))
rx = r.get("offloads_active", {}).get("0", {}).get("rx", [])
check("TCP_CKSUM" in rx, "port 0 ran with RX TCP checksum offload (%s)" % rx)
for p, s in r.get("ports", {}).items():
    check(s["ierrors"] == 0 and s["oerrors"] == 0 and s["dropped"] == 0,
          "port %s without errors or drops: %r" % (p, s))
c.done(passed=None)
PY
done
echo PASS
