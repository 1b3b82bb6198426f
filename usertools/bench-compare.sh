#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmark (not a test): this PMD against what a user would otherwise run, on
# the same QEMU, guest kernel and host, in one invocation, alternating order:
#   pmd-modern-mmap   l2fwd on net_virtio_mmio, Version 2, mmap registers
#   pmd-modern-pread  same, registers through pread/pwrite on the VFIO fd
#   pmd-legacy-mmap   same, Version 1 (legacy) device
#   pmd-modern-uio    same as pmd-modern-mmap, the NICs on uio_pdrv_genirq
#                     (upstream UIO, no kernel patch) instead of vfio-platform
#   bridge            the guest kernel's virtio_mmio + virtio_net + a bridge
#   dpdk-pci          l2fwd on DPDK's net_virtio, virtio-net-pci on vfio-pci
# Per run: ping RTT (p50, p99), iperf3 TCP with 1 and 4 streams, UDP with
# 64-byte datagrams (forwarded packet rate, loss), guest CPU use per phase.
# Prints a table (median, min-max, ratios against bridge and dpdk-pci) and
# writes doc/bench/compare.json, doc/img/compare.png and the results section
# of doc/performance.md.
#   usertools/bench-compare.sh [--reps N] [--duration SEC] [--udp-rate BITS]
#                              [--configs "pmd-modern-mmap bridge ..."]
#                              [--l2fwd-args "..."] [--no-doc]
set -euo pipefail
. "$(dirname "$0")/lib/guest.sh"

reps=3
duration=10
udp_rate=100M
configs="pmd-modern-mmap pmd-modern-pread pmd-modern-uio pmd-legacy-mmap bridge dpdk-pci"
l2fwd_args=
write_doc=1
while [ $# -gt 0 ]; do
	case $1 in
	--reps) reps=$2; shift ;;
	--duration) duration=$2; shift ;;
	--udp-rate) udp_rate=$2; shift ;;
	--configs) configs=$2; shift ;;
	--l2fwd-args) l2fwd_args=$2; shift ;;
	--no-doc) write_doc=0 ;;
	-h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
need_range --reps "$reps" 1 20
need_range --duration "$duration" 2 120 seconds
[[ $udp_rate =~ ^[0-9]+[KMG]?$ ]] || die "--udp-rate must be a number of bit/s, like 100M"
for c in $configs; do
	case $c in pmd-modern-mmap|pmd-modern-pread|pmd-modern-uio|pmd-legacy-mmap|bridge|dpdk-pci) ;;
	*) die "unknown configuration $c" ;;
	esac
done

cd "$VMMIO_TOP"
bench_prepare $write_doc
l2fwd=$VMMIO_TOP/build-aarch64/examples/l2fwd/vmmio-l2fwd
[ -x "$l2fwd" ] || die "no $l2fwd"
res=$(mktemp -d "${TMPDIR:-/tmp}/vmmio-compare.XXXXXX")
log "results in $res"

# Guest command and run-guest.sh options of one configuration.
eal="-l 0 -n 1 --iova-mode=pa"
fwd="-- --no-mac-updating -T 0 --rx-mode poll $l2fwd_args"
run_one() {
	local c=$1 d=$2 opts=() cmd
	case $c in
	pmd-*)
		local acc=${c##*-}
		opts=(--kmod vfio --access "$acc")
		# uio: the driver the NICs are bound to picks the PMD's backend
		[ "$acc" = uio ] && { opts=(--kmod uio); acc=mmap; }
		[[ $c == pmd-legacy-* ]] && opts+=(--legacy)
		cmd="exec sh /usr/bin/guest-fwd pmd $eal --no-pci \
			$(vdev_pair ",access=$acc") $fwd"
		;;
	dpdk-pci)
		opts=(--nic-model pci)
		cmd="exec sh /usr/bin/guest-fwd dpdk-pci $eal $fwd"
		;;
	bridge)
		cmd="exec sh /usr/bin/guest-fwd bridge"
		;;
	esac
	HOOK_OUT=$d HOOK_DURATION=$duration HOOK_UDP_RATE=$udp_rate \
	bash usertools/run-guest.sh --nics 2 --net tap "${opts[@]}" \
		--no-stdin --timeout $((3 * duration + 300)) --log "$d/console" \
		--file "$l2fwd:/usr/bin/vmmio-l2fwd" \
		--file "usertools/lib/guest-fwd.sh:/usr/bin/guest-fwd" \
		--ready-marker FWD-READY \
		--host-hook "bash $VMMIO_TOP/usertools/lib/compare-hook.sh" \
		-- "$cmd" >/dev/null 2>"$d/run-guest.err"
}

read -r -a list <<<"$configs"
bench_rotate "$res" "$reps" run_one "${list[@]}"

python3 usertools/lib/compare-report.py "$res" "$duration" "$reps" "$udp_rate" "$write_doc"
