#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmark (not a test): l2fwd on the PMD in the guest with poll, interrupt
# and adaptive RX, in rotating order, several repetitions. Per run: iperf3
# TCP Mbit/s, ping RTT through the guest (p50, p99 of 100 pings at 20/s), and
# the RX lcore's CPU use idle, during the pings and under iperf3 load.
# Prints a table of medians (min-max) and writes JSON, a markdown table and
# a plot (gnuplot) into doc/.
#   usertools/bench-rx-modes.sh [--reps N] [--duration SEC] [--legacy]
#                               [--modes "poll interrupt adaptive"] [--no-doc]
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

reps=3
duration=10
legacy=()
modes="poll interrupt adaptive"
write_doc=1
while [ $# -gt 0 ]; do
	case $1 in
	--reps) reps=$2; shift ;;
	--duration) duration=$2; shift ;;
	--legacy) legacy=(--legacy) ;;
	--modes) modes=$2; shift ;;
	--no-doc) write_doc=0 ;;
	-h|--help) sed -n '2,10p' "$0"; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
need_range --reps "$reps" 1 20
need_range --duration "$duration" 2 120 seconds
for m in $modes; do
	case $m in poll|interrupt|adaptive) ;; *) die "unknown mode $m" ;; esac
done

cd "$VMMIO_TOP"
bench_prepare $write_doc
l2fwd=$VMMIO_TOP/build-aarch64/examples/l2fwd/vmmio-l2fwd
res=$(mktemp -d "${TMPDIR:-/tmp}/vmmio-bench.XXXXXX")
log "results in $res"

read -r -a mode_list <<<"$modes"
n=${#mode_list[@]}
for ((r = 0; r < reps; r++)); do
	for ((k = 0; k < n; k++)); do
		m=${mode_list[$(((k + r) % n))]}
		d=$res/$m-$r
		mkdir -p "$d"
		log "rep $((r + 1))/$reps: $m"
		HOOK_OUT=$d HOOK_DURATION=$duration \
		bash usertools/run-guest.sh --nics 2 --net tap --access mmap "${legacy[@]}" \
			--no-stdin --timeout $((duration + 200)) --log "$d/console" \
			--file "$l2fwd:/usr/bin/vmmio-l2fwd" \
			--file "usertools/lib/l2fwd-cpu.sh:/usr/bin/l2fwd-cpu" \
			--ready-marker L2FWD-CPU-READY \
			--host-hook "bash $VMMIO_TOP/usertools/lib/bench-hook.sh" \
			-- "exec sh /usr/bin/l2fwd-cpu -l 0 -n 1 --iova-mode=pa --no-pci \
			--vdev net_virtio_mmio0,dev=\$VMMIO_DEV_0 \
			--vdev net_virtio_mmio1,dev=\$VMMIO_DEV_1 \
			-- --no-mac-updating -T 0 --rx-mode $m" >/dev/null 2>&1 ||
			log "run $m-$r failed (kept in $d)"
	done
done

python3 usertools/lib/bench-report.py "$res" "${legacy[*]:+legacy}" "$duration" "$reps" "$write_doc"
