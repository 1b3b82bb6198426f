#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The misbehaving-device fuzz test (test/unit/test_fuzz.c) run longer than in
# the unit suite: N seeds in a row, each with both variants (modern, legacy)
# and both cases (busy poll, interrupt path), in a time bound, from an
# existing build tree. A failure prints the command that replays it.
#   usertools/fuzz.sh [--build DIR] [--seeds N] [--seed FIRST] [--steps N]
#                     [--time SEC] [--keep-logs DIR]
# Defaults: build-native, 20 seeds from a time-based first one, 200000 steps
# per configuration, 600 s. --build build-asan runs under the sanitizers.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

build=build-native
seeds=20
first=$(( $(date +%s) % 1000000000 ))
steps=200000
limit=600
logs=
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--seeds) need_range --seeds "$2" 1 1000000; seeds=$2; shift 2 ;;
	--seed) need_range --seed "$2" 0 9223372036854775000; first=$2; shift 2 ;;
	--steps) need_range --steps "$2" 1 100000000; steps=$2; shift 2 ;;
	--time) need_range --time "$2" 1 86400 s; limit=$2; shift 2 ;;
	--keep-logs) logs=$2; shift 2 ;;
	*) die "usage: $0 [--build DIR] [--seeds N] [--seed FIRST] [--steps N] [--time SEC] [--keep-logs DIR]" ;;
	esac
done

cd "$VMMIO_TOP"
exe=$build/test/unit/test_fuzz
[ -x "$exe" ] || die "$exe not built (ninja -C $build)"
# the sanitizer options of the tree's default test setup (meson.build)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export VMMIO_FUZZ_STEPS=$steps
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -z "$logs" ] || mkdir -p "$logs"

end=$(( SECONDS + limit ))
runs=0
failed=0
seed=$first
last=$first
for (( i = 0; i < seeds; i++, seed++ )); do
	for v in modern legacy; do
		for c in test_fuzz_poll test_fuzz_intr; do
			left=$(( end - SECONDS ))
			if [ $left -le 0 ]; then
				log "time bound reached after $runs runs"
				break 3
			fi
			# a tree rebuilt meanwhile: stop, these would not be failures
			[ -x "$exe" ] || die "$exe is gone (tree rebuilt?) after $runs runs, $failed failed"
			last=$seed
			out=$tmp/$seed-$v-$c.log
			runs=$(( runs + 1 ))
			if VMMIO_FUZZ_SEED=$seed timeout -k 5 "$left" "$exe" "$v" "$c" >"$out" 2>&1; then
				rc=0
			else
				rc=$?
			fi
			[ -z "$logs" ] || cp "$out" "$logs/"
			if [ $rc -eq 124 ] && [ $(( end - SECONDS )) -le 0 ]; then
				log "time bound reached during seed $seed $v $c (not a failure)"
				break 3
			fi
			if [ $rc -ne 0 ]; then
				failed=$(( failed + 1 ))
				echo "FAIL seed=$seed $v $c (exit $rc):"
				grep -E "CHECK failed|ERROR: |runtime error|Sanitizer" "$out" | head -5 || tail -5 "$out"
				echo "  replay: VMMIO_FUZZ_SEED=$seed VMMIO_FUZZ_STEPS=$steps $exe $v $c"
			fi
		done
	done
done
log "$runs runs ($build, $steps steps per configuration, seeds $first..$last): $failed failed"
[ $failed -eq 0 ]
