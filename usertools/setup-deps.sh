#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install the host packages the build, the guest lab and the tests need (Debian 12, root).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

PKGS=(meson ninja-build pkg-config python3-pyelftools ccache
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	qemu-system-arm iperf3 iproute2 cpio xz-utils zstd kmod bc flex bison
	libelf-dev libssl-dev dwarves file iputils-ping)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	log "all host packages present"
	exit 0
fi
need_root
log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -q update >/dev/null || die "apt-get update failed: package mirror unreachable?"
apt-get -q -y install --no-install-recommends "${missing[@]}" >/dev/null ||
	die "apt-get install failed for: ${missing[*]}"
log "done"
