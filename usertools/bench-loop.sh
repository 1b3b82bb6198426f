#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmark (not a test) in which the guest's driver is the bottleneck: the
# guest's two NICs are joined inside QEMU (one hub, no tap, no host network
# stack, no iperf3) and DPDK's own dpdk-testpmd forwards in io mode between
# them; a fixed population of frames is injected once (start tx_first) and
# loops port 0 -> hub -> port 1 -> testpmd -> port 0 for a bounded time.
# Same app, same guest, same run for every configuration, rotating order:
#   pmd-modern-mmap   this PMD as a -d plugin, Version 2, mmap registers
#   pmd-modern-pread  same, registers through pread/pwrite on the VFIO fd
#   pmd-legacy-mmap   same, Version 1 (legacy) device
#   pmd-packed-mmap   same as pmd-modern-mmap, packed virtqueues (QEMU
#                     packed=on: VIRTIO_F_RING_PACKED, virtio 1.2 section 2.8)
#   pmd-noindirect-mmap  same as pmd-modern-mmap, devarg indirect=0: chains
#                     instead of indirect descriptors for multi-segment TX
#   dpdk-pci          DPDK's net_virtio, virtio-net-pci on vfio-pci
#   dpdk-pci-packed   same, packed virtqueues (DPDK's packed burst paths)
#   dpdk-pci-noindirect  same as dpdk-pci, the NICs not offering
#                     VIRTIO_F_RING_INDIRECT_DESC (indirect_desc=off): what
#                     indirect descriptors buy DPDK's multi-segment TX
# Per run and frame size: forwarded packets per second over the window
# (testpmd's port statistics), per-port RX/TX counts, drops and imissed,
# frames lost in the loop, QEMU's per-thread CPU use. Prints a table
# (median, min-max, ratios against dpdk-pci) and writes doc/bench/loop.json,
# doc/img/loop.png and the loop section of doc/performance.md.
#   usertools/bench-loop.sh [--reps N] [--duration SEC] [--sizes "64 1518"]
#                           [--bursts N] [--configs "pmd-modern-mmap ..."]
#                           [--seg-size BYTES] [--no-build] [--no-doc]
#   --bursts N   population: N bursts of 32 frames on each port (default 8)
#   --seg-size B chained frames: mbufs of B data bytes (testpmd --mbuf-size
#                B+128, --enable-scatter), frames injected and received in
#                segments of at most B bytes, so every frame is sent as a
#                descriptor chain (default configurations then: modern,
#                noindirect, packed, dpdk-pci, dpdk-pci-packed,
#                dpdk-pci-noindirect);
#                results go to doc/bench/loop-chained.json,
#                doc/img/loop-chained.png and their own section
#   --no-build   use build-aarch64's binaries as they are (no ninja there)
set -euo pipefail
. "$(dirname "$0")/lib/guest.sh"

reps=3
duration=10
sizes=
bursts=8
configs=
seg=0
build=1
write_doc=1
while [ $# -gt 0 ]; do
	case $1 in
	--reps) reps=$2; shift ;;
	--duration) duration=$2; shift ;;
	--sizes) sizes=$2; shift ;;
	--bursts) bursts=$2; shift ;;
	--seg-size) seg=$2; shift ;;
	--configs) configs=$2; shift ;;
	--no-build) build=0 ;;
	--no-doc) write_doc=0 ;;
	-h|--help) sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
need_range --reps "$reps" 1 20
need_range --duration "$duration" 2 120 seconds
# 32 bursts of 32 on each port already overfill both rings of both ports.
need_range --bursts "$bursts" 1 32
if [ "$seg" = 0 ]; then : "${sizes:=64 1518}"; else : "${sizes:=1518}"; fi
for s in $sizes; do
	# 60: testpmd's smallest UDP frame; 1518: one mbuf, no MTU change
	need_range "--sizes (each)" "$s" 60 1518 bytes
done
if [ "$seg" != 0 ]; then
	# 64: the smallest segment that holds testpmd's headers
	need_range --seg-size "$seg" 64 1024 bytes
	for s in $sizes; do
		[ "$s" -gt "$seg" ] || die "--seg-size $seg: frames of $s bytes are not chained"
	done
	: "${configs:=pmd-modern-mmap pmd-noindirect-mmap pmd-packed-mmap dpdk-pci dpdk-pci-packed dpdk-pci-noindirect}"
fi
: "${configs:=pmd-modern-mmap pmd-modern-pread pmd-legacy-mmap pmd-packed-mmap dpdk-pci dpdk-pci-packed}"
for c in $configs; do
	case $c in
	pmd-modern-mmap|pmd-modern-pread|pmd-legacy-mmap|pmd-packed-mmap) ;;
	pmd-noindirect-mmap) ;;
	dpdk-pci|dpdk-pci-packed|dpdk-pci-noindirect) ;;
	*) die "unknown configuration $c" ;;
	esac
done

cd "$VMMIO_TOP"
bench_prepare $write_doc $build
testpmd=$(ls build-aarch64/subprojects/dpdk*/app/dpdk-testpmd 2>/dev/null | head -1)
testpmd_guest_files "$testpmd" build-aarch64/pmd/librte_net_virtio_mmio.so
res=$(mktemp -d "${TMPDIR:-/tmp}/vmmio-loop.XXXXXX")
log "results in $res"

# One guest boot: testpmd on the two NICs of one configuration, every size.
# lcore 0 runs the command line, lcore 1 forwards both directions.
run_one() {
	local c=$1 d=$2 opts eal pre= pmdargs= devargs=
	case $c in
	pmd-*)
		local acc=${c##*-}
		[[ $c == pmd-noindirect-* ]] && devargs=,indirect=0
		opts=(--kmod vfio --access "$acc")
		[[ $c == pmd-legacy-* ]] && opts+=(--legacy)
		[[ $c == pmd-packed-* ]] && opts+=(--packed)
		eal="--no-pci -d /usr/lib/dpdk/librte_net_virtio_mmio.so \
			$(vdev_pair ",access=$acc$devargs")"
		;;
	dpdk-pci*)
		opts=(--nic-model pci)
		case $c in
		*-packed) opts+=(--packed) ;;
		*-noindirect) opts+=(--nic-prop 0:indirect_desc=off --nic-prop 1:indirect_desc=off) ;;
		esac
		pre="allow=\$(sh /usr/bin/guest-fwd vfio-pci) || { echo \"\$allow\"; exit 1; }"
		eal="\$allow"
		;;
	esac
	# Sizes in rotating order too (the first size of a boot runs on a
	# guest that has just started).
	local sz k order=()
	read -r -a sz <<<"$sizes"
	for ((k = 0; k < ${#sz[@]}; k++)); do
		order+=("${sz[$(((k + $3) % ${#sz[@]}))]}")
	done
	# chained frames: testpmd's mbufs hold B bytes after the headroom
	[ "$seg" = 0 ] || pmdargs="--mbuf-size=$((seg + 128)) --enable-scatter"
	HOOK_OUT=$d HOOK_LOG=$d/console HOOK_SIZES="${order[*]}" HOOK_BURSTS=$bursts \
	HOOK_DURATION=$duration HOOK_SEG=$seg \
	bash usertools/run-guest.sh --nics 2 --net hub "${opts[@]}" \
		--no-stdin --timeout $(((duration + 20) * ${#sz[@]} + 300)) --log "$d/console" \
		"${TESTPMD_FILES[@]}" --file "usertools/lib/guest-fwd.sh:/usr/bin/guest-fwd" \
		--ready-marker "testpmd> " \
		--host-hook "bash $VMMIO_TOP/usertools/lib/loop-hook.sh" \
		-- "stty -echo </dev/console 2>/dev/null
		$pre
		dpdk-testpmd -l 0,1 -n 1 --iova-mode=pa $eal \
		-- -i --forward-mode=io --rxd=256 --txd=256 --burst=32 --total-num-mbufs=8192 $pmdargs
		st=\$?
		trap 'exit \$st' INT TERM
		echo TESTPMD-EXIT=\$st
		# a testpmd that failed never showed its prompt: no hook will stop us
		[ \$st -eq 0 ] || exit \$st
		while :; do sleep 1; done" >/dev/null 2>"$d/run-guest.err"
}

read -r -a list <<<"$configs"
bench_rotate "$res" "$reps" run_one "${list[@]}"

python3 usertools/lib/loop-report.py "$res" "$duration" "$reps" "$bursts" "$write_doc" "$seg"
