# SPDX-License-Identifier: BSD-3-Clause
# Shared helpers for the lab scripts (sourced, not executed).

VMMIO_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Downloads and build products live outside the clone so fresh clones reuse them.
VMMIO_CACHE=${VMMIO_CACHE:-/var/cache/virtio-mmio-pmd}

die() {
	echo "error: $*" >&2
	exit 1
}

log() {
	echo "[$(basename "$0")] $*" >&2
}

need_root() {
	[ "$(id -u)" -eq 0 ] || die "$(basename "$0") must run as root (it installs packages, loads taps and namespaces)"
}

# Private apt state: the machine's own deb sources plus their deb-src twins and the
# arm64 architecture, so nothing in /etc/apt or dpkg's architecture list is touched.
APT_PRIV=$VMMIO_CACHE/apt
apt_priv() {
	apt-get -q -o Dir::Etc::SourceList=/dev/null \
		-o Dir::Etc::SourceParts="$APT_PRIV/sources.list.d" \
		-o Dir::State::Lists="$APT_PRIV/lists" \
		-o Dir::State::Status="$APT_PRIV/status" \
		-o Dir::Cache="$APT_PRIV/cache" \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		-o Debug::NoLocking=1 "$@"
}

apt_priv_init() {
	local stamp=$APT_PRIV/lists/.updated
	mkdir -p "$APT_PRIV/sources.list.d" "$APT_PRIV/lists/partial" "$APT_PRIV/cache/archives/partial"
	touch "$APT_PRIV/status"
	# Reuse the index for a day; it only serves version lookups and downloads.
	if [ -f "$stamp" ] && [ -n "$(find "$stamp" -mmin -1440)" ]; then
		return 0
	fi
	local f out=$APT_PRIV/sources.list.d/machine.sources
	: >"$out"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		sed -E 's/^Types:.*/Types: deb deb-src/' "$f" >>"$out"
		echo >>"$out"
	done
	if [ -f /etc/apt/sources.list ]; then
		grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >"$APT_PRIV/sources.list.d/machine-src.list" || true
		grep -E '^deb ' /etc/apt/sources.list >>"$APT_PRIV/sources.list.d/machine-src.list" || true
	fi
	[ -s "$out" ] || [ -s "$APT_PRIV/sources.list.d/machine-src.list" ] ||
		die "no apt sources found in /etc/apt; cannot derive a deb-src entry"
	apt_priv update >/dev/null || die "apt-get update (private state) failed: package mirror unreachable?"
	touch "$stamp"
}

# Benchmarks: build the guest binaries and image; gnuplot when plots are wanted.
# BUILD=0 uses the aarch64 binaries as they are (no ninja in build-aarch64).
#   bench_prepare WRITE_DOC(0|1) [BUILD(0|1), default 1]
bench_prepare() {
	need_root
	[ "${2:-1}" = 0 ] || bash "$VMMIO_TOP/usertools/build.sh" aarch64
	bash "$VMMIO_TOP/usertools/build-guest.sh" >/dev/null
	if [ "$1" = 1 ] && ! command -v gnuplot >/dev/null; then
		log "installing gnuplot-nox for the plot"
		DEBIAN_FRONTEND=noninteractive apt-get -q -y install --no-install-recommends gnuplot-nox >/dev/null ||
			die "cannot install gnuplot-nox"
	fi
}

# Host hooks: name the measurement phase to the guest's CPU sampler or
# tracer (a "phase NAME" line on its console input, VMMIO_CONSOLE_IN).
#   phase NAME
phase() {
	echo "phase $1" >"$VMMIO_CONSOLE_IN"
}

# Host hooks: wait until NS reaches IP through the guest (one ping a try,
# TRIES tries); 1 when it never answers.
#   wait_ping NS IP TRIES
wait_ping() {
	local _
	for _ in $(seq 1 "$3"); do
		ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1 && return 0
	done
	return 1
}

# Option check: VALUE is a whole number in MIN..MAX, else a one-line error.
#   need_range OPTION VALUE MIN MAX [UNIT]
need_range() {
	[[ $2 =~ ^[0-9]+$ ]] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] ||
		die "$1 must be $3..$4${5:+ $5}"
}

# run-guest.sh --file arguments for DPDK's dpdk-testpmd with this PMD as its
# -d plugin (/usr/lib/dpdk/librte_net_virtio_mmio.so). dpdk-testpmd is
# dynamically linked against glibc, so the cross toolchain's aarch64 loader,
# libc, libm and libgcc_s (glibc loads it for pthread_cancel at exit) go in
# too. Result in the array TESTPMD_FILES.
#   testpmd_guest_files DPDK_TESTPMD PLUGIN
testpmd_guest_files() {
	local lib path dst
	[ -f "$1" ] && [ -x "$1" ] || die "no dpdk-testpmd at $1"
	[ -f "$2" ] || die "no PMD plugin at $2"
	TESTPMD_FILES=(--file "$1:/usr/bin/dpdk-testpmd"
		--file "$(realpath "$2"):/usr/lib/dpdk/librte_net_virtio_mmio.so")
	for lib in ld-linux-aarch64.so.1 libc.so.6 libm.so.6 libgcc_s.so.1; do
		path=$(aarch64-linux-gnu-gcc -print-file-name="$lib")
		[ -f "$path" ] || die "aarch64 $lib not found (libc6-arm64-cross)"
		dst=/lib/aarch64-linux-gnu/$lib
		[ "$lib" = ld-linux-aarch64.so.1 ] && dst=/lib/$lib
		TESTPMD_FILES+=(--file "$(realpath "$path"):$dst")
	done
}

# Benchmarks: REPS repetitions of every CONFIG, the order rotated each
# repetition so that drift on the host hits every configuration alike. Runs
# FN CONFIG DIR REP with DIR=RES/CONFIG/REP (created); a failed run is
# logged with the last line of DIR/run-guest.err and kept.
#   bench_rotate RES REPS FN CONFIG...
bench_rotate() {
	local res=$1 reps=$2 fn=$3 r k c d
	shift 3
	local list=("$@")
	for ((r = 0; r < reps; r++)); do
		for ((k = 0; k < ${#list[@]}; k++)); do
			c=${list[$(((k + r) % ${#list[@]}))]}
			d=$res/$c/$r
			mkdir -p "$d"
			log "rep $((r + 1))/$reps: $c"
			"$fn" "$c" "$d" "$r" || log "run $c/$r failed: $(tail -1 "$d/run-guest.err") (kept in $d)"
		done
	done
}
