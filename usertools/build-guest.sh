#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build (or reuse) the aarch64 guest base image: Debian's arm64 kernel Image plus
# an initramfs with busybox, out-of-tree no-IOMMU vfio + vfio-platform modules,
# the virtio-mmio reset handler (kmod/), uio_pdrv_genirq built from the
# unmodified source (beside Debian's uio.ko), /init and vmmio-devbind.
# Result: $VMMIO_CACHE/guest/<key>/{Image,base.cpio.gz}, with
# $VMMIO_CACHE/guest/current pointing at the newest one.
#
# Usage: build-guest.sh [--force] [--offline] [--local-hash]
#   --force       rebuild even if a valid cached image exists
#   --offline     do not refresh the apt index; reuse guest/current if it exists
#   --local-hash  print the hash of the local inputs and exit (staleness check)
# Prints VMMIO_GUEST_IMAGE=... and VMMIO_GUEST_INITRD=... on stdout (eval-able).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

FORCE=0
OFFLINE=0
HASH_ONLY=0
while [ $# -gt 0 ]; do
	case "$1" in
	--force) FORCE=1 ;;
	--offline) OFFLINE=1 ;;
	--local-hash) HASH_ONLY=1 ;;
	-h | --help) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option: $1 (see --help)" ;;
	esac
	shift
done

USERTOOLS=$(cd "$(dirname "$0")" && pwd)
PATCHES=("$USERTOOLS"/kernel-patches/*.patch)
# Our own vfio-platform reset handler, built in the vfio tree (it includes
# vfio_platform_private.h from there).
RESET_SRC=$USERTOOLS/kmod/vfio_platform_virtio_mmio_reset.c
DEVBIND=$USERTOOLS/vmmio-devbind
SELF=$USERTOOLS/$(basename "$0")

# The hash of the local inputs (this script holds /init, so it is one of them)
# lets run-guest.sh notice a stale image without asking apt.
local_hash() {
	cat "$SELF" "$DEVBIND" "${PATCHES[@]}" "$RESET_SRC" | sha256sum | cut -c1-16
}
if [ "$HASH_ONLY" = 1 ]; then
	local_hash
	exit 0
fi

need_root
GUEST_DIR=$VMMIO_CACHE/guest
DEBS=$VMMIO_CACHE/debs
CROSS=aarch64-linux-gnu-
# Debian kernel modules the lab may load besides ours (baselines: the kernel's
# own virtio-mmio net + bridge, DPDK net_virtio on vfio-pci; uio under our
# uio_pdrv_genirq, vmmio.kmod=uio). Their dependencies are added
# automatically; ours replace Debian's vfio/vfio_virqfd.
EXTRA_KMODS=(virtio_mmio virtio_net bridge vfio-pci uio)
OUR_KMODS=(vfio vfio_virqfd vfio-platform-base vfio-platform vfio_platform_virtio_mmio_reset
	uio_pdrv_genirq)
# The kernel source directories we build from (the rest of the tarball is
# never unpacked).
KSRC_DIRS=(drivers/vfio drivers/uio)

for t in "${CROSS}gcc" dpkg-deb cpio gzip depmod modinfo patch make flock sha256sum; do
	command -v "$t" >/dev/null || die "missing host tool '$t': run usertools/setup-deps.sh"
done
[ -f "$DEVBIND" ] || die "missing $DEVBIND"
[ -e "${PATCHES[0]}" ] || die "no kernel patches in $USERTOOLS/kernel-patches"
[ -f "$RESET_SRC" ] || die "missing $RESET_SRC"

mkdir -p "$GUEST_DIR" "$DEBS"
# One builder at a time; a concurrent caller waits for the first one's result.
exec 8>"$GUEST_DIR/.lock"
flock -w 1800 8 || die "timed out after 30 min waiting for another build-guest.sh (lock $GUEST_DIR/.lock)"

print_result() {
	echo "VMMIO_GUEST_IMAGE=$GUEST_DIR/current/Image"
	echo "VMMIO_GUEST_INITRD=$GUEST_DIR/current/base.cpio.gz"
}

# Private apt-cache: same options as apt_priv (lib/common.sh), for lookups.
# The binary caches are named explicitly (some images disable them in
# /etc/apt/apt.conf.d): a lookup then takes 0.3 s instead of 1.4 s.
apt_cache_priv() {
	apt-cache -o Dir::Etc::SourceList=/dev/null \
		-o Dir::Etc::SourceParts="$APT_PRIV/sources.list.d" \
		-o Dir::State::Lists="$APT_PRIV/lists" \
		-o Dir::State::Status="$APT_PRIV/status" \
		-o Dir::Cache="$APT_PRIV/cache" \
		-o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=srcpkgcache.bin \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 "$@"
}

# Candidate version of pkg[:arch] in the private index.
candidate() {
	apt_cache_priv show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n1
}

if [ "$OFFLINE" = 1 ]; then
	[ -e "$GUEST_DIR/current/Image" ] || die "--offline but no cached guest image in $GUEST_DIR/current"
	log "offline: reusing $(readlink -f "$GUEST_DIR/current")"
	print_result
	exit 0
fi

if ! (apt_priv_init) >&2; then
	if [ -e "$GUEST_DIR/current/Image" ] && [ "$FORCE" = 0 ]; then
		log "warning: apt index refresh failed; reusing $(readlink -f "$GUEST_DIR/current")"
		print_result
		exit 0
	fi
	die "cannot refresh the apt index and no cached guest image exists"
fi

# Kernel: whatever linux-image-arm64 currently depends on (not hard-coded).
dep=$(apt_cache_priv show --no-all-versions linux-image-arm64:arm64 2>/dev/null |
	sed -n 's/^Depends: //p' | tr ',' '\n' | grep -oE 'linux-image-[0-9][^ ]*-arm64 \(= [^)]+\)' | head -n1) ||
	true
[ -n "$dep" ] || die "cannot resolve linux-image-arm64:arm64's kernel package from the apt index"
KPKG=${dep%% *}                         # linux-image-6.1.0-56-arm64
KDEBVER=$(echo "$dep" | sed -E 's/.*\(= (.*)\)/\1/') # 6.1.192-2
KREL=${KPKG#linux-image-}               # 6.1.0-56-arm64
KABI=${KREL%-arm64}                     # 6.1.0-56
KSERIES=$(echo "$KREL" | cut -d. -f1-2) # 6.1
BBVER=$(candidate busybox-static:arm64)
[ -n "$BBVER" ] || die "busybox-static:arm64 not found in the apt index"
SRCVER=$(candidate "linux-source-$KSERIES")
[ "$SRCVER" = "$KDEBVER" ] ||
	die "linux-source-$KSERIES candidate '$SRCVER' does not match the kernel $KDEBVER"
KBUILDVER=$(candidate "linux-kbuild-$KSERIES:amd64")
[ "$KBUILDVER" = "$KDEBVER" ] ||
	die "linux-kbuild-$KSERIES:amd64 candidate '$KBUILDVER' does not match the kernel $KDEBVER"

GCCVER=$("${CROSS}gcc" -dumpfullversion)
LHASH=$(local_hash)
KEY=$(printf '%s\n' "$KPKG=$KDEBVER" "busybox=$BBVER" "gcc=$GCCVER" "local=$LHASH" |
	sha256sum | cut -c1-16)
OUT=$GUEST_DIR/$KEY
if [ "$FORCE" = 0 ] && [ -f "$OUT/.complete" ]; then
	ln -sfn "$KEY" "$GUEST_DIR/current"
	log "cached guest image $OUT ($KREL, busybox $BBVER)"
	print_result
	exit 0
fi

T0=$SECONDS
log "building guest image $KEY: kernel $KREL ($KDEBVER), busybox $BBVER, gcc $GCCVER"

# fetch NAME ARCH VERSION -> path of the cached .deb
fetch() {
	local name=$1 arch=$2 ver=$3 f
	f="$DEBS/${name}_${ver//:/%3a}_${arch}.deb"
	if [ ! -s "$f" ]; then
		log "downloading $name:$arch=$ver"
		(cd "$DEBS" && apt_priv download "$name:$arch=$ver" >/dev/null 2>"$DEBS/.download.log") ||
			die "apt download of $name:$arch=$ver failed: $(tail -n1 "$DEBS/.download.log")"
		[ -s "$f" ] || die "apt download of $name:$arch=$ver did not produce $f"
	fi
	echo "$f"
}

# Kernel tree: image + headers + host kbuild tools, extracted once per version.
# The amd64 linux-kbuild deb of the very same version is unpacked next to the
# headers, so their relative scripts/ and tools/ links resolve without
# installing or changing any host package.
KROOT=$VMMIO_CACHE/kernel/$KREL-$KDEBVER
if [ ! -f "$KROOT/.complete" ]; then
	rm -rf "$KROOT"
	mkdir -p "$KROOT/root"
	for spec in "$KPKG arm64" "linux-headers-$KREL arm64" "linux-headers-$KABI-common all" \
		"linux-kbuild-$KSERIES amd64"; do
		set -- $spec
		deb=$(fetch "$1" "$2" "$KDEBVER")
		dpkg-deb -x "$deb" "$KROOT/root" || die "cannot extract $deb"
	done
	# The arm64 headers' Makefile includes the -common tree by absolute path.
	sed -i "s#^include /usr/src/#include $KROOT/root/usr/src/#" \
		"$KROOT/root/usr/src/linux-headers-$KREL/Makefile"
	touch "$KROOT/.complete"
fi
# Only KSRC_DIRS are needed from the 130 MiB source tarball; the marker lists
# them, so a cache unpacked for fewer directories is unpacked again (~10 s).
if [ "$(cat "$KROOT/src/.complete" 2>/dev/null)" != "${KSRC_DIRS[*]}" ]; then
	rm -rf "$KROOT/src"
	mkdir -p "$KROOT/src"
	deb=$(fetch "linux-source-$KSERIES" all "$KDEBVER")
	pats=()
	for d in "${KSRC_DIRS[@]}"; do pats+=("linux-source-$KSERIES/$d/*"); done
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/linux-source-$KSERIES.tar.xz" |
		tar -xJ -C "$KROOT/src" --strip-components=1 --wildcards "${pats[@]}" ||
		die "cannot extract ${KSRC_DIRS[*]} from $deb"
	[ -f "$KROOT/src/drivers/vfio/platform/vfio_platform_common.c" ] ||
		die "linux-source-$KSERIES has no drivers/vfio/platform"
	[ -f "$KROOT/src/drivers/uio/uio_pdrv_genirq.c" ] ||
		die "linux-source-$KSERIES has no drivers/uio/uio_pdrv_genirq.c"
	echo "${KSRC_DIRS[*]}" >"$KROOT/src/.complete"
fi
KHDR=$KROOT/root/usr/src/linux-headers-$KREL
KMODS=$KROOT/root/lib/modules/$KREL
KIMAGE=$KROOT/root/boot/vmlinuz-$KREL
[ -f "$KIMAGE" ] || die "no $KIMAGE in $KPKG"
grep -q '^CONFIG_VIRTIO_MMIO=m' "$KROOT/root/boot/config-$KREL" ||
	log "warning: CONFIG_VIRTIO_MMIO is not a module in $KREL: net devices must be unbound from virtio_mmio"

WORK=$GUEST_DIR/.build.$KEY.$$
trap 'rm -rf "$WORK"' EXIT
rm -rf "$WORK"
mkdir -p "$WORK/tree/drivers" "$WORK/stage"

# vfio modules out of tree: pristine 6.1 sources + our patches, NOIOMMU on.
cp -a "$KROOT/src/drivers/vfio" "$WORK/tree/drivers/"
for p in "${PATCHES[@]}"; do
	(cd "$WORK/tree" && patch -p1 -s --no-backup-if-mismatch <"$p") ||
		die "patch $(basename "$p") does not apply to linux-source-$KSERIES $KDEBVER"
done
cp "$RESET_SRC" "$WORK/tree/drivers/vfio/platform/reset/"
# 6.1 has no CONFIG_VFIO_CONTAINER/GROUP: the legacy container is always built.
cat >"$WORK/tree/drivers/vfio/Kbuild" <<'EOF'
ccflags-y += -DCONFIG_VFIO_NOIOMMU=1
obj-m += vfio.o vfio_virqfd.o vfio-platform-base.o vfio-platform.o
obj-m += platform/reset/vfio_platform_virtio_mmio_reset.o
vfio-y := vfio_main.o iova_bitmap.o container.o
vfio_virqfd-y := virqfd.o
vfio-platform-base-y := platform/vfio_platform_common.o platform/vfio_platform_irq.o
vfio-platform-y := platform/vfio_platform.o
EOF
# kbuild NAME DIR: build the modules in DIR against the Debian headers. modpost
# takes the kernel's exported symbols (uio's too) from the headers'
# Module.symvers; an unresolved one would only fail at insmod in the guest,
# so it fails here.
kbuild() {
	local lf=$WORK/kbuild-$1.log
	log "building $1 modules against $KREL"
	make -C "$KHDR" M="$2" ARCH=arm64 CROSS_COMPILE="$CROSS" \
		-j"$(nproc)" modules >"$lf" 2>&1 || {
		tail -n 30 "$lf" >&2
		die "out-of-tree $1 module build failed (log above)"
	}
	grep -E 'warning:|error:|WARNING:' "$lf" >&2 || true
	! grep -q 'undefined!' "$lf" || die "modpost left symbols of the $1 modules unresolved (above)"
}
kbuild vfio "$WORK/tree/drivers/vfio"

# uio_pdrv_genirq out of tree from the unmodified source, no patch: that is
# the point of this interface (vmmio.kmod=uio); uio.ko is Debian's own.
mkdir -p "$WORK/uio"
cp "$KROOT/src/drivers/uio/uio_pdrv_genirq.c" "$WORK/uio/"
echo 'obj-m += uio_pdrv_genirq.o' >"$WORK/uio/Kbuild"
kbuild uio "$WORK/uio"

# Initramfs staging tree.
S=$WORK/stage
mkdir -p "$S"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,var,etc,root} "$S/lib/modules/$KREL/extra"
ln -s ../run "$S/var/run"
bbdeb=$(fetch busybox-static arm64 "$BBVER")
dpkg-deb -x "$bbdeb" "$WORK/bb"
install -m 0755 "$WORK/bb/bin/busybox" "$S/bin/busybox"
# The applet list cannot be queried from an aarch64 binary on this host, so
# /init runs `busybox --install -s` first; sh is linked now for /init itself.
ln -s busybox "$S/bin/sh"
for m in "${OUR_KMODS[@]}"; do
	f=$(find "$WORK/tree/drivers/vfio" "$WORK/uio" -name "$m.ko")
	[ -n "$f" ] || die "kbuild produced no $m.ko"
	"${CROSS}strip" --strip-debug -o "$S/lib/modules/$KREL/extra/$m.ko" "$f"
done
# Debian modules with their dependency closure (ours satisfy vfio/vfio_virqfd).
declare -A seen=()
for m in "${OUR_KMODS[@]}"; do seen[${m//-/_}]=1; done
queue=("${EXTRA_KMODS[@]}")
while [ ${#queue[@]} -gt 0 ]; do
	m=${queue[0]}
	queue=("${queue[@]:1}")
	[ -z "${seen[${m//-/_}]:-}" ] || continue
	seen[${m//-/_}]=1
	f=$(find "$KMODS/kernel" -name "$m.ko" -o -name "${m//-/_}.ko" -o -name "${m//_/-}.ko" | head -n1)
	[ -n "$f" ] || die "kernel module $m not found in $KPKG"
	mkdir -p "$S/lib/modules/$KREL/$(dirname "${f#"$KMODS/"}")"
	cp "$f" "$S/lib/modules/$KREL/${f#"$KMODS/"}"
	deps=$(modinfo -F depends "$f")
	if [ -n "$deps" ]; then
		IFS=, read -r -a more <<<"$deps"
		queue+=("${more[@]}")
	fi
done
cp "$KMODS"/modules.builtin "$KMODS"/modules.builtin.modinfo "$KMODS"/modules.order "$S/lib/modules/$KREL/"
depmod -b "$S" "$KREL" || die "depmod failed for the initramfs module tree"
install -m 0755 "$DEVBIND" "$S/usr/bin/vmmio-devbind"
echo "$KREL" >"$S/etc/vmmio-kernel-release"

cat >"$S/init" <<'INIT'
#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# vmmio guest /init: mount, reserve hugepages, load the no-IOMMU vfio stack
# (vmmio.kmod=vfio, the default) or uio + uio_pdrv_genirq (vmmio.kmod=uio),
# hand the virtio-mmio net devices to its platform driver, run /cmd, report,
# power off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
/bin/busybox --install -s
# The kernel unpacks the initramfs into a world-writable root; EAL refuses
# -d plugins under world-writable directories, and nothing needs it.
chmod 0755 /
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/hugepages /dev/pts /dev/shm /tmp /run /var/run
mount -t hugetlbfs -o pagesize=2M hugetlbfs /dev/hugepages
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
KREL=$(cat /etc/vmmio-kernel-release)
MODDIR=/lib/modules/$KREL/extra

hugepages=256
kmod=vfio
map_subpage=0
reset_module=1
debug=0
for w in $(cat /proc/cmdline); do
	case "$w" in
	vmmio.hugepages=*) hugepages=${w#*=} ;;
	vmmio.kmod=*) kmod=${w#*=} ;;
	vmmio.map_subpage=*) map_subpage=${w#*=} ;;
	vmmio.reset_module=*) reset_module=${w#*=} ;;
	vmmio.debug=*) debug=${w#*=} ;;
	esac
done
# vmmio.debug=1: timestamps of the boot steps (boot time tuning).
dbg() {
	[ "$debug" = 1 ] || return 0
	read -r up _ </proc/uptime
	echo "vmmio-init: [$up] $*"
}
dbg "start"

fail() {
	echo "vmmio-init: error: $*"
	echo "VMMIO-EXIT-STATUS=125"
	poweroff -f
}

# run-guest.sh also passes hugepages=N, which the kernel reserves at boot
# (cheaper than growing the pool here); this covers other boot paths.
# (No `read` here: sysctl files return EOF to busybox's 1-byte reads at offset>0.)
got=$(cat /proc/sys/vm/nr_hugepages)
[ "$got" = "$hugepages" ] || echo "$hugepages" >/proc/sys/vm/nr_hugepages
got=$(cat /proc/sys/vm/nr_hugepages)
[ "$got" = "$hugepages" ] || echo "vmmio-init: warning: reserved $got of $hugepages 2 MiB hugepages"
ip link set lo up 2>/dev/null
dbg "hugepages reserved"

# busybox insmod takes the parameters on its command line (not /proc/cmdline).
load_vfio() {
	insmod $MODDIR/vfio.ko enable_unsafe_noiommu_mode=1 || fail "insmod vfio.ko"
	insmod $MODDIR/vfio_virqfd.ko || fail "insmod vfio_virqfd.ko"
	insmod $MODDIR/vfio-platform-base.ko || fail "insmod vfio-platform-base.ko"
	# The "virtio,mmio" reset handler (usertools/kmod/): vfio-platform resets
	# the device through it on open and when the last fd goes, also after
	# kill -9. vfio-platform looks the handler up when it binds a device, so
	# it goes in first. With it, reset_required=1 (upstream's default): a
	# device whose reset fails is refused to the next opener instead of handed
	# over with live rings (on release a failure can only warn), and a missing
	# handler fails the bind. vmmio.reset_module=0 (lab only: the behaviour
	# before the handler) leaves it out and needs patch 0001 for
	# reset_required=0; the file goes too, or the probe's request_module()
	# would load it anyway.
	if [ "$reset_module" = 1 ]; then
		insmod $MODDIR/vfio_platform_virtio_mmio_reset.ko ||
			fail "insmod vfio_platform_virtio_mmio_reset.ko"
		reset_required=1
	else
		rm -f $MODDIR/vfio_platform_virtio_mmio_reset.ko
		echo "vmmio-init: vmmio.reset_module=0: no reset handler for virtio-mmio devices"
		reset_required=0
	fi
	insmod $MODDIR/vfio-platform.ko reset_required=$reset_required map_subpage="$map_subpage" ||
		fail "insmod vfio-platform.ko"
	bind_drv=vfio-platform
}

# The upstream generic UIO platform driver, no kernel patch: Debian's uio.ko
# and uio_pdrv_genirq.ko built from the unmodified source. None of the vfio
# modules is loaded. uio_pdrv_genirq matches no DT compatible (no of_id=):
# vmmio-devbind hands it the devices through driver_override.
load_uio() {
	insmod "/lib/modules/$KREL/kernel/drivers/uio/uio.ko" || fail "insmod uio.ko"
	insmod "$MODDIR/uio_pdrv_genirq.ko" || fail "insmod uio_pdrv_genirq.ko"
	bind_drv=uio_pdrv_genirq
}

case "$kmod" in
vfio) load_vfio ;;
uio) load_uio ;;
*) fail "vmmio.kmod=$kmod: must be vfio or uio" ;;
esac
dbg "modules loaded"
vmmio-devbind --bind-all-net "$bind_drv" || fail "binding the virtio-mmio net devices to $bind_drv"
dbg "devices bound"

[ -f /cmd ] || fail "no /cmd in the initramfs (run the guest through usertools/run-guest.sh)"
echo "vmmio-init: running /cmd (uptime $(cut -d' ' -f1 /proc/uptime) s)"

# The console is read here and forwarded to the command through a FIFO, so a
# host line "vmmio-stop" can interrupt it: SIGINT to its process group, then
# SIGKILL after 10 s. The command runs in the foreground (a background job of
# a non-interactive shell would start with SIGINT ignored) in its own session.
mkfifo /run/vmmio-stdin
(
	exec 3>/run/vmmio-stdin
	while IFS= read -r line; do
		case "$line" in
		*vmmio-stop*)
			pg=$(cat /run/vmmio-cmd.pid 2>/dev/null)
			[ -n "$pg" ] || continue
			echo "vmmio-init: stop requested: SIGINT to process group $pg"
			# busybox kill: a negative pid is a process group (no "--").
			kill -INT "-$pg" 2>/dev/null
			i=0
			while [ $i -lt 100 ] && kill -0 "-$pg" 2>/dev/null; do
				sleep 0.1
				i=$((i + 1))
			done
			if kill -0 "-$pg" 2>/dev/null; then
				echo "vmmio-init: command ignored SIGINT for 10 s: SIGKILL"
				kill -KILL "-$pg" 2>/dev/null
			fi
			;;
		*) printf '%s\n' "$line" >&3 ;;
		esac
	done
) </dev/console &
reader=$!
setsid sh -c 'echo $$ >/run/vmmio-cmd.pid; exec sh /cmd' </run/vmmio-stdin >/dev/console 2>&1
status=$?
kill "$reader" 2>/dev/null
sync
echo "VMMIO-EXIT-STATUS=$status"
poweroff -f
INIT
chmod 0755 "$S/init"

# Reproducible archive: sorted names, root-owned, fixed mtimes.
find "$S" -exec touch -h -d @0 {} +
(cd "$S" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -n -6 >"$WORK/base.cpio.gz"
cp "$KIMAGE" "$WORK/Image"
cp "$KROOT/root/boot/config-$KREL" "$WORK/config"
{
	echo "key=$KEY"
	echo "kernel=$KPKG=$KDEBVER"
	echo "busybox=$BBVER"
	echo "gcc=$GCCVER"
	echo "local_hash=$LHASH"
	echo "built=$(date -u +%FT%TZ) in $((SECONDS - T0)) s"
} >"$WORK/manifest"
echo "$LHASH" >"$WORK/local-hash"
rm -rf "$OUT"
mkdir -p "$OUT"
mv "$WORK/Image" "$WORK/base.cpio.gz" "$WORK/config" "$WORK/manifest" "$WORK/local-hash" \
	"$WORK"/kbuild-*.log "$OUT/"
mkdir -p "$OUT/modules"
cp "$S/lib/modules/$KREL/extra/"*.ko "$OUT/modules/"
touch "$OUT/.complete"
ln -sfn "$KEY" "$GUEST_DIR/current"

# Keep the three newest images; older ones are unreachable by key anyway.
ls -1dt "$GUEST_DIR"/*/ 2>/dev/null | grep -v '/current/$' | tail -n +4 | while read -r d; do
	rm -rf "$d"
done
log "guest image ready in $((SECONDS - T0)) s: $OUT ($(du -h "$OUT/base.cpio.gz" | cut -f1) initramfs)"
print_result
