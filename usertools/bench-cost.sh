#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Per-packet cost of the PMD's rx/tx burst functions on the software device
# model (test/bench/vmmio_cost.c): instructions per packet counted by
# callgrind (repeatable under any machine load) and, as an informational
# extra, TSC nanoseconds per packet without valgrind. Configurations: the
# plain paths on a modern device with split virtqueues, on a legacy device
# and on a modern device with packed virtqueues, and the offload paths
# (checksum offload, packet_type) on both modern layouts. Prints the issue 15
# targets of the plain paths at burst 32 (RX <= 90, TX <= 100 instructions
# per packet) and whether they are met. Writes doc/bench/cost.json, the
# per-packet cost section of doc/performance.md and, with gnuplot,
# doc/img/cost.png.
#   usertools/bench-cost.sh [--packets N] [--bursts "1 8 32"] [--no-plot]
# Root is needed only when something is missing (packages, first build).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

packets=100000
bursts="1 8 32"
plot=1
while [ $# -gt 0 ]; do
	case $1 in
	--packets) packets=$2; shift 2 ;;
	--bursts) bursts=$2; shift 2 ;;
	--no-plot) plot=0; shift ;;
	*) die "usage: $0 [--packets N] [--bursts \"1 8 32\"] [--no-plot]" ;;
	esac
done
# configuration -> the program's device variant, and its extra arguments
variants="modern legacy packed modern-offload packed-offload"
dirs="rx tx"
variant_dev() {
	echo "${1%-offload}"
}
variant_extra() {
	case $1 in
	*-offload) echo offload ;;
	esac
}
# the receive path each configuration must run (the PMD's rx_burst_mode_get)
want_path() {
	local ring=
	case $1 in packed*) ring=,packed ;; esac
	case $1-$2 in
	*-offload-rx) echo offload$ring ;;
	*-rx) echo plain$ring ;;
	*-tx) echo plain+chains$ring ;;
	esac
}
# valgrind 3.19 cannot decode AVX-512, which -march=native emits on this
# kind of host: callgrind runs a second tree built for an ISA it knows.
COST_ISA=x86-64-v3

cd "$VMMIO_TOP"
command -v valgrind >/dev/null || {
	need_root
	log "installing valgrind"
	DEBIAN_FRONTEND=noninteractive apt-get -q -y install --no-install-recommends valgrind >/dev/null ||
		die "apt-get install valgrind failed"
}
[ -f build-native/build.ninja ] || bash usertools/build.sh native

export CCACHE_DIR=$VMMIO_CACHE/ccache
export CCACHE_MAXSIZE=5G
if [ ! -f build-cost/build.ninja ]; then
	log "configuring build-cost (DPDK cpu_instruction_set=$COST_ISA)"
	meson setup build-cost --force-fallback-for=libdpdk \
		-Ddpdk:cpu_instruction_set=$COST_ISA >"$VMMIO_CACHE/meson-setup-build-cost.log" 2>&1 ||
		{ tail -20 "$VMMIO_CACHE/meson-setup-build-cost.log" >&2; die "meson setup of build-cost failed"; }
fi
for dir in build-native build-cost; do
	log "building $dir/test/bench/vmmio_cost"
	# a tree configured before valgrind's header was installed lacks the target
	ninja -C "$dir" test/bench/vmmio_cost >/dev/null 2>&1 ||
		{ meson setup --reconfigure "$dir" >/dev/null && ninja -C "$dir" test/bench/vmmio_cost >/dev/null; } ||
		die "build of $dir/test/bench/vmmio_cost failed"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rows=$work/rows.tsv
: >"$rows"

# The program's result line, checked: key=value pairs.
result_line() {
	grep '^vmmio_cost: ' "$1" || { tail -20 "$1" >&2; die "no result from $2"; }
}

field() {
	sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

# Fastest of five runs without valgrind: the least disturbed by other load.
ns_per_pkt() {
	local exe=$1 v=$2 d=$3 b=$4 i best= line ns
	for i in 1 2 3 4 5; do
		"$exe" "$(variant_dev "$v")" "$d" "$b" "$packets" $(variant_extra "$v") >"$work/ns.log" 2>&1 ||
			{ tail -20 "$work/ns.log" >&2; die "$exe $v $d $b failed"; }
		line=$(result_line "$work/ns.log" "$exe")
		ns=$(field "$line" ns_per_pkt)
		if [ -z "$best" ] || awk -v a="$ns" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$ns
		fi
	done
	echo "$best"
}

for v in $variants; do
	for d in $dirs; do
		for b in $bursts; do
			tag=$v-$d-$b
			log "callgrind: $tag ($packets packets)"
			valgrind --tool=callgrind --collect-atstart=no \
				--callgrind-out-file="$work/cg.$tag" \
				build-cost/test/bench/vmmio_cost "$(variant_dev "$v")" "$d" "$b" \
				"$packets" $(variant_extra "$v") \
				>"$work/cg.$tag.log" 2>&1 || { tail -20 "$work/cg.$tag.log" >&2; die "callgrind run $tag failed"; }
			line=$(result_line "$work/cg.$tag.log" "callgrind $tag")
			moved=$(field "$line" packets)
			[ "$moved" -gt 0 ] || die "$tag moved no packets"
			path=$(field "$line" path)
			[ "$path" = "$(want_path "$v" "$d")" ] ||
				die "$tag ran the '$path' path, not '$(want_path "$v" "$d")'"
			ir=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$work/cg.$tag")
			# the bench's own lines inside a burst (call, toggles, register wrapper)
			harness=$(callgrind_annotate --threshold=100 "$work/cg.$tag" 2>/dev/null |
				awk '/:bench_/ { gsub(",", "", $1); s += $1 } END { print s + 0 }')
			callgrind_annotate --threshold=100 "$work/cg.$tag" 2>/dev/null |
				grep -E '^ *[0-9,]+ \(' | grep -v 'PROGRAM TOTALS' | head -8 |
				sed -E 's/ \[[^]]*\]$//' >"$work/top.$tag"
			ns_v3=$(ns_per_pkt build-cost/test/bench/vmmio_cost "$v" "$d" "$b")
			ns_nat=$(ns_per_pkt build-native/test/bench/vmmio_cost "$v" "$d" "$b")
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$d" "$b" "$moved" \
				"$(field "$line" bursts)" "$ir" "$harness" \
				"$(field "$line" burst_reg_writes)" "$ns_v3" "$ns_nat" "$path" >>"$rows"
		done
	done
done

mkdir -p doc/bench
dpdk_ver=$(meson introspect --projectinfo build-cost |
	python3 -c 'import json, sys; print(next(s["version"] for s in json.load(sys.stdin)["subprojects"] if s["name"] == "dpdk"))')
export BENCH_PACKETS=$packets BENCH_ISA=$COST_ISA BENCH_DPDK=$dpdk_ver BENCH_TOP_DIR=$work
export BENCH_CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
export BENCH_NCPU=$(nproc)
export BENCH_KERNEL=$(uname -r)
export BENCH_GCC=$(gcc --version | head -1)
export BENCH_VALGRIND=$(valgrind --version)
python3 "$VMMIO_TOP/usertools/lib/bench-cost-report.py" "$rows" doc/bench/cost.json doc/performance.md

if [ "$plot" = 1 ]; then
	if ! command -v gnuplot >/dev/null && [ "$(id -u)" -eq 0 ]; then
		log "installing gnuplot-nox"
		DEBIAN_FRONTEND=noninteractive apt-get -q -y install --no-install-recommends gnuplot-nox >/dev/null ||
			log "gnuplot-nox not installed: no plot"
	fi
	if command -v gnuplot >/dev/null; then
		mkdir -p doc/img
		gnuplot -e "rows='$rows'; out='doc/img/cost.png'" usertools/lib/bench-cost.gp
		log "plot: doc/img/cost.png"
	else
		log "gnuplot missing (root installs gnuplot-nox): no plot"
	fi
fi
log "results: doc/bench/cost.json doc/performance.md"
