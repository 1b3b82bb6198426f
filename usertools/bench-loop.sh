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
#   dpdk-pci          DPDK's net_virtio, virtio-net-pci on vfio-pci
# Per run and frame size: forwarded packets per second over the window
# (testpmd's port statistics), per-port RX/TX counts, drops and imissed,
# frames lost in the loop, QEMU's per-thread CPU use. Prints a table
# (median, min-max, ratios against dpdk-pci) and writes doc/bench/loop.json,
# doc/img/loop.png and the loop section of doc/performance.md.
#   usertools/bench-loop.sh [--reps N] [--duration SEC] [--sizes "64 1518"]
#                           [--bursts N] [--configs "pmd-modern-mmap ..."]
#                           [--no-build] [--no-doc]
#   --bursts N   population: N bursts of 32 frames on each port (default 8)
#   --no-build   use build-aarch64's binaries as they are (no ninja there)
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

reps=3
duration=10
sizes="64 1518"
bursts=8
configs="pmd-modern-mmap pmd-modern-pread pmd-legacy-mmap dpdk-pci"
build=1
write_doc=1
while [ $# -gt 0 ]; do
	case $1 in
	--reps) reps=$2; shift ;;
	--duration) duration=$2; shift ;;
	--sizes) sizes=$2; shift ;;
	--bursts) bursts=$2; shift ;;
	--configs) configs=$2; shift ;;
	--no-build) build=0 ;;
	--no-doc) write_doc=0 ;;
	-h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
need_range --reps "$reps" 1 20
need_range --duration "$duration" 2 120 seconds
# 32 bursts of 32 on each port already overfill both rings of both ports.
need_range --bursts "$bursts" 1 32
[ -n "$sizes" ] || die "--sizes is empty"
for s in $sizes; do
	# 60: testpmd's smallest UDP frame; 1518: one mbuf, no MTU change
	need_range "--sizes (each)" "$s" 60 1518 bytes
done
[ -n "$configs" ] || die "--configs is empty"
for c in $configs; do
	case $c in pmd-modern-mmap|pmd-modern-pread|pmd-legacy-mmap|dpdk-pci) ;;
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
	local c=$1 d=$2 opts eal pre=
	case $c in
	pmd-*)
		local acc=${c##*-}
		opts=(--kmod vfio --access "$acc")
		[[ $c == pmd-legacy-* ]] && opts+=(--legacy)
		eal="--no-pci -d /usr/lib/dpdk/librte_net_virtio_mmio.so \
			--vdev net_virtio_mmio0,dev=\$VMMIO_DEV_0,access=$acc \
			--vdev net_virtio_mmio1,dev=\$VMMIO_DEV_1,access=$acc"
		;;
	dpdk-pci)
		opts=(--nic-model pci)
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
	HOOK_OUT=$d HOOK_LOG=$d/console HOOK_SIZES="${order[*]}" HOOK_BURSTS=$bursts \
	HOOK_DURATION=$duration \
	bash usertools/run-guest.sh --nics 2 --net hub "${opts[@]}" \
		--no-stdin --timeout $(((duration + 20) * ${#sz[@]} + 300)) --log "$d/console" \
		"${TESTPMD_FILES[@]}" --file "usertools/lib/guest-fwd.sh:/usr/bin/guest-fwd" \
		--ready-marker "testpmd> " \
		--host-hook "bash $VMMIO_TOP/usertools/lib/loop-hook.sh" \
		-- "stty -echo </dev/console 2>/dev/null
		$pre
		dpdk-testpmd -l 0,1 -n 1 --iova-mode=pa $eal \
		-- -i --forward-mode=io --rxd=256 --txd=256 --burst=32 --total-num-mbufs=8192
		st=\$?
		trap 'exit \$st' INT TERM
		echo TESTPMD-EXIT=\$st
		# a testpmd that failed never showed its prompt: no hook will stop us
		[ \$st -eq 0 ] || exit \$st
		while :; do sleep 1; done" >/dev/null 2>"$d/run-guest.err"
}

read -r -a list <<<"$configs"
bench_rotate "$res" "$reps" run_one "${list[@]}"

python3 usertools/lib/loop-report.py "$res" "$duration" "$reps" "$bursts" "$write_doc"
