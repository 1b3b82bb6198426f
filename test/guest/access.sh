# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the guest tests: their "access" argument is mmap or pread (the
# NICs on vfio-platform, registers mapped or read through the device fd) or
# uio (the NICs on uio_pdrv_genirq, registers mapped). Sets GUEST_KMOD, the
# run-guest.sh / main-job.sh options, and PMD_ACCESS, the PMD devargs (uio
# names kmod=uio so that the devarg path is tested; main-job detects it).
guest_access() {
	case "$1" in
	mmap | pread)
		GUEST_KMOD=(--kmod vfio --access "$1")
		PMD_ACCESS="access=$1"
		;;
	uio)
		GUEST_KMOD=(--kmod uio)
		PMD_ACCESS="access=mmap,kmod=uio"
		;;
	*)
		echo "error: access must be mmap, pread or uio, not '$1'" >&2
		exit 2
		;;
	esac
}
