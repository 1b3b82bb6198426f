#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Fetch the DPDK 22.11 LTS source from Debian's source package (apt-get source,
# private apt state), check it against the wrap's sha256 and place it where the
# Meson [wrap-file] expects it. The download is cached in $VMMIO_CACHE/dpdk.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

WRAP=$VMMIO_TOP/subprojects/dpdk.wrap
fname=$(sed -n 's/^source_filename *= *//p' "$WRAP")
want=$(sed -n 's/^source_hash *= *//p' "$WRAP")
dest=$VMMIO_TOP/subprojects/packagefiles/$fname
cache=$VMMIO_CACHE/dpdk

check() {
	[ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$want" ]
}

if check "$dest"; then
	exit 0
fi
if ! check "$cache/$fname"; then
	mkdir -p "$cache"
	apt_priv_init
	log "downloading DPDK source package"
	(cd "$cache" && apt_priv source --download-only "dpdk/bookworm" >/dev/null) ||
		die "apt-get source dpdk/bookworm failed (no deb-src reachable?)"
	[ -f "$cache/$fname" ] || die "source package does not contain $fname; update subprojects/dpdk.wrap ($(ls "$cache" | tr '\n' ' '))"
	check "$cache/$fname" || die "sha256 of $fname differs from subprojects/dpdk.wrap: refusing to build"
fi
mkdir -p "$(dirname "$dest")"
ln -sf "$cache/$fname" "$dest"
log "DPDK source ready: $dest"
