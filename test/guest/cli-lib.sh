# SPDX-License-Identifier: BSD-3-Clause
# Helpers for host hooks that drive a CLI in the guest (sourced): commands go
# to the guest command's stdin through run-guest.sh's console FIFO, and the
# hook waits for the CLI's answers in the console log ($CLI_LOG).

# send LINE...: one command per argument.
send() {
	local l
	for l in "$@"; do
		printf '%s\n' "$l" >"$VMMIO_CONSOLE_IN"
	done
}

# expect PATTERN COUNT [SECONDS]: wait until the log has COUNT lines
# matching the extended regex PATTERN (default 60 s); fail otherwise.
expect() {
	local pat=$1 want=$2 secs=${3:-60} n=0 i
	for ((i = 0; i < secs * 5; i++)); do
		n=$(grep -cE -- "$pat" "$CLI_LOG" || true)
		[ "$n" -ge "$want" ] && return 0
		sleep 0.2
	done
	echo "hook: timeout after $secs s waiting for $want x '$pat' (saw $n)" >&2
	return 1
}
