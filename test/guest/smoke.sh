#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Guest smoke test: boot the lab guest with two virtio-mmio NICs (no backend)
# and run vfio_smoke on both through vfio-platform (mmap or pread), or
# through uio_pdrv_genirq (uio).
# Usage: smoke.sh modern|legacy mmap|pread|uio PATH/TO/vfio_smoke
set -euo pipefail
. "$(dirname "$0")/../../usertools/lib/guest.sh"

[ $# -eq 3 ] || die "usage: $0 modern|legacy mmap|pread|uio PATH/TO/vfio_smoke"
mode=$1
access=$2
exe=$3
case "$mode" in
modern) version=2 legacy=() ;;
legacy) version=1 legacy=(--legacy) ;;
*) die "mode must be modern or legacy, not '$mode'" ;;
esac
guest_access "$access"
[ -x "$exe" ] || die "$exe is not an executable"
# The guest is aarch64 and has no libc: the binary must be a static aarch64 one.
if command -v file >/dev/null; then
	file -L "$exe" | grep -q 'ARM aarch64.*statically linked' ||
		die "$exe is not a static aarch64 executable (build it in the aarch64 cross build dir)"
fi

# --access both picks the guest's vfio-platform map_subpage setting and makes
# vfio_smoke insist on that method, so each combination tests what it names.
exec "$VMMIO_TOP/usertools/run-guest.sh" --no-stdin --net none --nics 2 "${legacy[@]}" \
	"${GUEST_KMOD[@]}" --timeout 300 --file "$exe:/usr/bin/vfio_smoke" -- \
	"vfio_smoke --version $version --access $access \"\$VMMIO_DEV_0=\$VMMIO_MAC_0\" \"\$VMMIO_DEV_1=\$VMMIO_MAC_1\""
