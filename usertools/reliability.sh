#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The reliability lanes in one command (doc/reliability.md): the fault,
# stress and fuzz unit suites on the device model (plain and under
# ASan+UBSan), then the guest fault, reset and bad-input suites on real
# QEMU. Prints one table row per lane: tests, passed, seconds.
#   usertools/reliability.sh [--unit-only] [--rounds N] [--fuzz-steps N]
#     --rounds N      stress rounds per variant (default 1000)
#     --fuzz-steps N  fuzz steps per variant (default: test_fuzz's own)
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

unit_only=0
while [ $# -gt 0 ]; do
	case $1 in
	--unit-only) unit_only=1 ;;
	--rounds) need_range "$1" "${2:-}" 1 100000000; export VMMIO_STRESS_ROUNDS=$2; shift ;;
	--fuzz-steps) need_range "$1" "${2:-}" 1 100000000; export VMMIO_FUZZ_STEPS=$2; shift ;;
	*) die "usage: $0 [--unit-only] [--rounds N] [--fuzz-steps N]" ;;
	esac
	shift
done
cd "$VMMIO_TOP"
need_root
bash usertools/build.sh all >/dev/null
unit_suites=(unit-reliability unit-stress unit-fuzz unit-misbehave)
guest_suites=(guest-faults guest-reset guest-errors)
rows=()
rc=0

# lane <build dir> <suite>...: run the suites, one table row each
lane() {
	local dir=$1 s args=()
	shift
	for s in "$@"; do
		args+=(--suite "$s")
	done
	meson test -C "$dir" "${args[@]}" --num-processes 1 --logbase reliability \
		--print-errorlogs >"$VMMIO_CACHE/reliability-$(basename "$dir").log" 2>&1 || rc=1
	for s in "$@"; do
		rows+=("$(python3 - "$dir/meson-logs/reliability.json" "$dir" "$s" <<'PY'
import json, sys
path, tree, suite = sys.argv[1:]
tests = [json.loads(l) for l in open(path)]
# "project:suite1+suite2 / test name"
mine = [t for t in tests
        if suite in t["name"].split(" / ")[0].split(":", 1)[1].split("+")]
ok = sum(t["result"] == "OK" for t in mine)
print("| %s | %s | %d | %d | %.1f |" % (suite, tree, len(mine), ok,
      sum(t["duration"] for t in mine)))
PY
)")
	done
}

log "unit lanes (build-native, build-asan)"
lane build-native "${unit_suites[@]}"
lane build-asan "${unit_suites[@]}"
if [ $unit_only -eq 0 ]; then
	log "guest lanes (build-aarch64)"
	bash usertools/build-guest.sh >/dev/null
	lane build-aarch64 "${guest_suites[@]}"
fi
echo "| suite | tree | tests | passed | seconds |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
[ $rc -eq 0 ] || log "FAILED: logs in $VMMIO_CACHE/reliability-*.log"
exit $rc
