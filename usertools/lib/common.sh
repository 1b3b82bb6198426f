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
#   bench_prepare WRITE_DOC(0|1)
bench_prepare() {
	need_root
	bash "$VMMIO_TOP/usertools/build.sh" aarch64
	bash "$VMMIO_TOP/usertools/build-guest.sh" >/dev/null
	if [ "$1" = 1 ] && ! command -v gnuplot >/dev/null; then
		log "installing gnuplot-nox for the plot"
		DEBIAN_FRONTEND=noninteractive apt-get -q -y install --no-install-recommends gnuplot-nox >/dev/null ||
			die "cannot install gnuplot-nox"
	fi
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
