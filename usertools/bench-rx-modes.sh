#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmark (not a test): l2fwd on this PMD in the guest with its RX modes
# and interrupt schemes, against the guest kernel's bridge, on the machinery
# of bench-compare.sh (guest lib/guest-fwd.sh, host hook lib/compare-hook.sh).
# Modes run in rotating order, several repetitions. Per run: ping RTT (p50,
# p99), iperf3 TCP with 1 and 4 streams, UDP with 64-byte datagrams (offered
# and forwarded packet rate, loss), l2fwd's TX drops and the ports' RX
# imissed, the lcore's CPU use and the guest's CPU use per phase.
# Prints a table (median, min-max, ratios); unless --no-doc, writes
# doc/bench/NAME.json, doc/img/NAME.png and the section between the
# "bench:NAME" markers of doc/rx-modes.md.
#   usertools/bench-rx-modes.sh [--reps N] [--duration SEC] [--udp-rate BITS]
#                               [--modes "LIST"] [--legacy]
#                               [--doc-name NAME] [--no-doc]
#   --reps N           repetitions of every mode (default 3)
#   --duration SEC     iperf3 seconds of each TCP and UDP phase (default 10)
#   --udp-rate BITS    UDP offered bit/s, like 100M (default 1G: an overload
#                      for the TCG guest)
#   --modes "LIST"     modes, in table order (default "poll interrupt adaptive
#                      bridge"):
#     poll, interrupt, adaptive     l2fwd --rx-mode M, the PMD's default RX
#                                   interrupt scheme
#     interrupt-swring, interrupt-direct, adaptive-swring, adaptive-direct
#                                   the same with devarg rx_intr=swring or
#                                   rx_intr=direct on both ports
#     bridge                        the guest kernel's virtio_mmio + virtio_net
#                                   and a Linux bridge
#   --legacy           virtio-mmio Version 1 devices (default: modern)
#   --doc-name NAME    name of the doc outputs (default rx-modes)
#   --no-doc           table only, nothing written into doc/
# Builds what is missing (usertools/build.sh aarch64); needs root.
# VMMIO_DOC_DIR (default doc/) redirects the doc outputs.
set -euo pipefail
. "$(dirname "$0")/lib/guest.sh"

reps=3
duration=10
udp_rate=1G
modes="poll interrupt adaptive bridge"
legacy=()
doc_name=rx-modes
write_doc=1
while [ $# -gt 0 ]; do
	case $1 in
	--reps | --duration | --udp-rate | --modes | --doc-name)
		[ $# -ge 2 ] || die "option $1 needs a value (see --help)" ;;
	esac
	case $1 in
	--reps) reps=$2; shift ;;
	--duration) duration=$2; shift ;;
	--udp-rate) udp_rate=$2; shift ;;
	--modes) modes=$2; shift ;;
	--legacy) legacy=(--legacy) ;;
	--doc-name) doc_name=$2; shift ;;
	--no-doc) write_doc=0 ;;
	-h | --help) sed -n '3,/^set -euo/{/^set -euo/d;p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
need_range --reps "$reps" 1 20
need_range --duration "$duration" 2 120 seconds
[[ $udp_rate =~ ^[0-9]+[KMG]?$ ]] || die "--udp-rate must be a number of bit/s, like 100M"
[[ $doc_name =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || die "--doc-name must be a plain file name, like rx-modes"
read -r -a list <<<"$modes"
[ ${#list[@]} -gt 0 ] || die "--modes is empty"
for m in "${list[@]}"; do
	case $m in
	poll | interrupt | adaptive | bridge) ;;
	interrupt-swring | interrupt-direct | adaptive-swring | adaptive-direct) ;;
	*) die "unknown mode $m (poll, interrupt, adaptive, interrupt-swring, interrupt-direct, adaptive-swring, adaptive-direct, bridge)" ;;
	esac
done
[ "$(printf '%s\n' "${list[@]}" | sort | uniq -d)" = "" ] || die "--modes names a mode twice"

cd "$VMMIO_TOP"
bench_prepare $write_doc
l2fwd=$VMMIO_TOP/build-aarch64/examples/l2fwd/vmmio-l2fwd
res=$(mktemp -d "${TMPDIR:-/tmp}/vmmio-rx-modes.XXXXXX")
log "results in $res"
# The report takes its column order from here.
echo "${list[*]}" >"$res/modes"

# Guest command of one mode, then the run (as bench-compare.sh's run_one).
eal="-l 0 -n 1 --iova-mode=pa --no-pci"
run_one() {
	local m=$1 d=$2 cmd devarg=
	case $m in
	bridge)
		cmd="exec sh /usr/bin/guest-fwd bridge"
		;;
	*)
		# interrupt-direct -> --rx-mode interrupt plus rx_intr=direct
		[[ $m == *-* ]] && devarg=",rx_intr=${m#*-}"
		cmd="exec sh /usr/bin/guest-fwd pmd $eal $(vdev_pair "$devarg") \
			-- --no-mac-updating -T 0 --rx-mode ${m%%-*}"
		;;
	esac
	HOOK_OUT=$d HOOK_DURATION=$duration HOOK_UDP_RATE=$udp_rate \
	bash usertools/run-guest.sh --nics 2 --net tap --access mmap "${legacy[@]}" \
		--no-stdin --timeout $((3 * duration + 300)) --log "$d/console" \
		--file "$l2fwd:/usr/bin/vmmio-l2fwd" \
		--file "usertools/lib/guest-fwd.sh:/usr/bin/guest-fwd" \
		--ready-marker FWD-READY \
		--host-hook "bash $VMMIO_TOP/usertools/lib/compare-hook.sh" \
		-- "$cmd" >/dev/null 2>"$d/run-guest.err"
}

bench_rotate "$res" "$reps" run_one "${list[@]}"

python3 usertools/lib/bench-report.py "$res" "${legacy[*]:+legacy}" "$duration" "$reps" \
	"$udp_rate" "$doc_name" "$write_doc"
