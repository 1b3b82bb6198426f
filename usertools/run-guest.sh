#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Boot the aarch64 lab guest (QEMU virt, TCG) with N virtio-mmio NICs, run one
# command in it and return that command's exit status.
#
# Usage: run-guest.sh [options] [-- guest command...]
#   --nics N            virtio-net-device NICs (default 2; NIC i is
#                       a003e00.virtio_mmio minus i*0x200)
#   --legacy            virtio-mmio Version 1 (default: modern, Version 2)
#   --packed            every NIC offers packed virtqueues (QEMU packed=on,
#                       VIRTIO_F_RING_PACKED; default: split only); modern only
#   --nic-model mmio|pci  mmio: virtio-net-device on virtio-mmio (default);
#                       pci: modern-only virtio-net-pci, NIC i at PCI
#                       0000:00:0(i+1).0 (the DPDK net_virtio baseline)
#   --access mmap|pread register access the guest's vfio-platform offers:
#                       mmap sets vmmio.map_subpage=1 (default), pread =0
#   --kmod vfio|uio     kernel interface /init hands the virtio-mmio NICs to
#                       (vmmio.kmod=): vfio = the patched no-IOMMU
#                       vfio-platform stack (default), uio = upstream
#                       uio_pdrv_genirq, no kernel patch (mmap access only)
#   --net tap|hub|none  tap: NIC i <-> tap in its own netns, host address
#                       198.18.0.(i+1)/24; hub: every NIC on one QEMU hub
#                       (-netdev hubport, hubid 0), no tap and no host
#                       network stack: with 2 NICs a frame sent on one
#                       arrives on the other only; none: no backend (default)
#   --mac-base PREFIX   NIC i gets PREFIX%02x(i+1) (default 52:54:00:12:34:)
#   --queues N          queue pairs per NIC (default 1); N > 1 needs --net tap:
#                       multi_queue taps, -netdev tap queues=N and the
#                       device's mq=on (VIRTIO_NET_F_MQ, max_virtqueue_pairs N)
#   --mtu N             NICs offer MTU N (virtio-net host_mtu, VIRTIO_NET_F_MTU)
#                       and the host taps run at MTU N (default: 1500, no offer)
#   --nic-prop I:PROPS  extra -device properties for NIC I only (e.g.
#                       0:host_mtu=9000: NICs that differ); repeatable
#   --profile NAME      every NIC offers the features of a microVM
#                       monitor's device (usertools/lib/profiles.sh:
#                       qemu-default, firecracker-like, minimal-modern,
#                       legacy-bare; legacy-bare implies --legacy)
#   --file SRC[:DST]    copy SRC into the guest (default DST /usr/bin/NAME);
#                       repeatable
#   --timeout SEC       kill QEMU and exit 124 after SEC s (default 300)
#   --ready-marker STR  when the console shows STR, run the --host-hook
#   --host-hook CMD     host command (bash -c) run at the ready marker; when
#                       it ends, "vmmio-stop" is sent to the guest. Its env:
#                       VMMIO_NETNS_i, VMMIO_IP_i, VMMIO_TAP_i (tap NICs),
#                       VMMIO_MONITOR, VMMIO_QEMU_PID (QEMU's pid), and
#                       VMMIO_CONSOLE_IN (a FIFO: lines written to it reach
#                       the guest command's stdin)
#   --monitor PATH      QEMU HMP monitor on unix socket PATH
#   --smp N, --mem MiB  guest vCPUs (default 2) and memory (default 2048)
#   --hugepages N       2 MiB hugepages reserved by /init (default 256)
#   --append STR        extra kernel command line
#   --log FILE          copy of the console output
#   --no-stdin          do not forward this script's stdin to the guest console
# Everything after "--" is the guest command: one argument is used as shell
# script text, several are run as one command with their words kept (quoted).
# Without a command the guest runs an interactive sh on the console.
#
# Exit status: the guest command's, or the host hook's if the hook failed;
# 124 on timeout; 1 if the guest died without reporting a status.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/profiles.sh"
USERTOOLS=$(cd "$(dirname "$0")" && pwd)

NICS=2
NIC_MODEL=mmio
LEGACY=0
PACKED=0
ACCESS=mmap
KMOD=vfio
NET=none
MAC_BASE=52:54:00:12:34:
QUEUES=1
FILES=()
TIMEOUT=300
READY=
HOOK=
MONITOR=
SMP=2
MEM=2048
HUGEPAGES=256
APPEND=
LOG=
STDIN=1
MTU=
NICPROPS=()
PROFILE=qemu-default
usage() {
	sed -n '3,/^set -euo/{/^set -euo/d;p}' "$0" | sed 's/^# \{0,1\}//'
}
need_arg() {
	[ $# -ge 2 ] || die "option $1 needs a value (see --help)"
}
while [ $# -gt 0 ]; do
	case "$1" in
	--nics) need_arg "$@"; NICS=$2; shift ;;
	--legacy) LEGACY=1 ;;
	--packed) PACKED=1 ;;
	--nic-model) need_arg "$@"; NIC_MODEL=$2; shift ;;
	--access) need_arg "$@"; ACCESS=$2; shift ;;
	--kmod) need_arg "$@"; KMOD=$2; shift ;;
	--net) need_arg "$@"; NET=$2; shift ;;
	--mac-base) need_arg "$@"; MAC_BASE=$2; shift ;;
	--queues) need_arg "$@"; QUEUES=$2; shift ;;
	--file) need_arg "$@"; FILES+=("$2"); shift ;;
	--timeout) need_arg "$@"; TIMEOUT=$2; shift ;;
	--ready-marker) need_arg "$@"; READY=$2; shift ;;
	--host-hook) need_arg "$@"; HOOK=$2; shift ;;
	--monitor) need_arg "$@"; MONITOR=$2; shift ;;
	--smp) need_arg "$@"; SMP=$2; shift ;;
	--mem) need_arg "$@"; MEM=$2; shift ;;
	--hugepages) need_arg "$@"; HUGEPAGES=$2; shift ;;
	--append) need_arg "$@"; APPEND=$2; shift ;;
	--log) need_arg "$@"; LOG=$2; shift ;;
	--no-stdin) STDIN=0 ;;
	--mtu) need_arg "$@"; MTU=$2; shift ;;
	--nic-prop) need_arg "$@"; NICPROPS+=("$2"); shift ;;
	--profile) need_arg "$@"; PROFILE=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	*) die "unknown option: $1 (see --help)" ;;
	esac
	shift
done
CMD=("$@")

isnum() { [[ $1 =~ ^[0-9]+$ ]]; }
isnum "$NICS" && [ "$NICS" -le 32 ] || die "--nics must be 0..32 (QEMU virt has 32 virtio-mmio transports)"
isnum "$TIMEOUT" && [ "$TIMEOUT" -gt 0 ] || die "--timeout must be a positive number of seconds"
isnum "$SMP" && isnum "$MEM" && isnum "$HUGEPAGES" || die "--smp, --mem and --hugepages take numbers"
[ -z "$MTU" ] || { isnum "$MTU" && [ "$MTU" -ge 68 ] && [ "$MTU" -le 65535 ]; } || die "--mtu must be 68..65535"
case "$ACCESS" in mmap) SUBPAGE=1 ;; pread) SUBPAGE=0 ;; *) die "--access must be mmap or pread" ;; esac
# map_subpage is a parameter of the patched vfio-platform: uio gets none.
KARGS="vmmio.kmod=$KMOD vmmio.map_subpage=$SUBPAGE"
case "$KMOD" in
vfio) ;;
uio)
	[ "$ACCESS" = mmap ] || die "--access pread needs --kmod vfio: UIO only maps the registers (no read/write of them through the device fd)"
	# The vfio-pci baseline needs the vfio stack /init leaves out.
	[ "$NIC_MODEL" = mmio ] || die "--kmod uio is for virtio-mmio NICs (--nic-model mmio)"
	KARGS="vmmio.kmod=uio"
	;;
*) die "--kmod must be vfio or uio" ;;
esac
case "$NET" in tap | hub | none) ;; *) die "--net must be tap, hub or none" ;; esac
case "$NIC_MODEL" in mmio | pci) ;; *) die "--nic-model must be mmio or pci" ;; esac
[ "$NIC_MODEL" = mmio ] || [ "$NICS" -le 8 ] || die "--nic-model pci takes at most 8 NICs"
[[ $MAC_BASE =~ ^([0-9a-fA-F]{2}:){5}$ ]] || die "--mac-base must be 5 octets and a colon, like 52:54:00:12:34:"
isnum "$QUEUES" && [ "$QUEUES" -ge 1 ] && [ "$QUEUES" -le 8 ] || die "--queues must be 1..8"
[ "$QUEUES" = 1 ] || [ "$NET" = tap ] || die "--queues above 1 needs --net tap (a multiqueue backend)"
for p in "${NICPROPS[@]}"; do
	[[ $p =~ ^([0-9]+):[A-Za-z0-9_.=,-]+$ ]] && [ "${BASH_REMATCH[1]}" -lt "$NICS" ] ||
		die "--nic-prop must be I:key=value[,...] with I below --nics, not '$p'"
done
profile_get "$PROFILE" || die "--profile must be one of: $PROFILES"
[ "$PROFILE_LEGACY" = 0 ] || LEGACY=1
[ "$PACKED" = 0 ] || [ "$LEGACY" = 0 ] || die "--packed needs a modern device: a legacy (Version 1) device has split virtqueues only"
[ -z "$PROFILE_PROPS" ] || [ "$NIC_MODEL" = mmio ] || die "--profile $PROFILE is for virtio-mmio NICs"
[ -z "$PROFILE_PROPS" ] || [ "$QUEUES" = 1 ] || die "--profile $PROFILE has no MQ: --queues 1 only"
[ -z "$HOOK" ] || [ -n "$READY" ] || die "--host-hook needs --ready-marker"
[ -z "$READY" ] || [ -n "$HOOK" ] || die "--ready-marker needs --host-hook"
[ "$NET" != tap ] || need_root
command -v qemu-system-aarch64 >/dev/null || die "qemu-system-aarch64 missing: run usertools/setup-deps.sh"

# Guest image: build it when missing or built from other local inputs.
G=$VMMIO_CACHE/guest/current
if [ ! -f "$G/.complete" ] || [ "$(cat "$G/local-hash" 2>/dev/null)" != "$("$USERTOOLS/build-guest.sh" --local-hash)" ]; then
	log "guest image missing or stale: running build-guest.sh"
	"$USERTOOLS/build-guest.sh" >/dev/null || die "build-guest.sh failed"
fi
[ -f "$G/Image" ] && [ -f "$G/base.cpio.gz" ] || die "no guest image in $G"

RUN=$(mktemp -d /tmp/vmmio-run.XXXXXX)
QPID=
HOOKPID=
FWDPID=
NSS=()
TAPS=()
cleanup() {
	local rc=$? i
	trap - EXIT INT TERM
	if [ -n "$HOOKPID" ] && kill -0 "$HOOKPID" 2>/dev/null; then
		kill -TERM -- "-$HOOKPID" 2>/dev/null || true
	fi
	if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
		kill -TERM "$QPID" 2>/dev/null || true
		for i in $(seq 50); do kill -0 "$QPID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$QPID" 2>/dev/null || true
	fi
	[ -z "$FWDPID" ] || kill "$FWDPID" 2>/dev/null || true
	for i in "${!TAPS[@]}"; do
		ip -n "${NSS[$i]}" link del "${TAPS[$i]}" 2>/dev/null ||
			ip link del "${TAPS[$i]}" 2>/dev/null || true
	done
	for i in "${NSS[@]}"; do ip netns del "$i" 2>/dev/null || true; done
	[ -z "$MONITOR" ] || rm -f "$MONITOR"
	rm -rf "$RUN"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' TERM

# NIC i: platform device, MAC, tap, netns, host address.
DEVS=() MACS=() IPS=()
for ((i = 0; i < NICS; i++)); do
	if [ "$NIC_MODEL" = mmio ]; then
		DEVS[i]=$(printf '%x.virtio_mmio' $((0xa003e00 - 0x200 * i)))
	else
		# QEMU virt's PCIe host: slot 0 is the bridge, -device order fills 1, 2...
		DEVS[i]=$(printf '0000:00:%02x.0' $((i + 1)))
	fi
	MACS[i]=$(printf '%s%02x' "$MAC_BASE" $((i + 1)))
	IPS[i]=198.18.0.$((i + 1))
done

# Namespaces left behind by runs that were killed (their pid is gone).
if [ "$NET" = tap ]; then
	for ns in $(ip netns list | awk '{print $1}' | grep -E '^vmmio[0-9]+n[0-9]+$' || true); do
		p=${ns#vmmio}
		p=${p%%n*}
		kill -0 "$p" 2>/dev/null && continue
		log "removing stale netns $ns (run $p is gone)"
		ip netns del "$ns" 2>/dev/null || true
	done
	for ((i = 0; i < NICS; i++)); do
		TAPS[i]=vmmio$$t$i
		NSS[i]=vmmio$$n$i
		mq=()
		[ "$QUEUES" = 1 ] || mq=(multi_queue)
		ip tuntap add dev "${TAPS[i]}" mode tap "${mq[@]}" || die "cannot create tap ${TAPS[i]}"
		# Up in this namespace until QEMU attaches: no IPv6 chatter from here either.
		sysctl -qw "net.ipv6.conf.${TAPS[i]}.disable_ipv6=1" 2>/dev/null || true
		# Up here too: sysfs "carrier" (QEMU attached, see below) needs it.
		ip link set "${TAPS[i]}" up
		ip netns add "${NSS[i]}" || die "cannot create netns ${NSS[i]}"
		# Keep the lab quiet: no IPv6 router/neighbour chatter on the taps.
		ip netns exec "${NSS[i]}" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
			net.ipv6.conf.all.disable_ipv6=1 || true
		ip -n "${NSS[i]}" link set lo up
	done
fi

# Per-run overlay: /cmd and the requested files, appended to the base
# initramfs (Linux unpacks concatenated cpio archives in order).
OV=$RUN/overlay
mkdir -p "$OV/usr/bin"
for spec in "${FILES[@]}"; do
	src=${spec%%:*}
	if [ "$src" = "$spec" ]; then dst=/usr/bin/$(basename "$src"); else dst=${spec#*:}; fi
	[ -e "$src" ] || die "--file: $src does not exist"
	[[ $dst == /* ]] || die "--file: destination $dst must be absolute"
	mkdir -p "$OV$(dirname "$dst")"
	cp -a "$src" "$OV$dst"
done
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
{
	echo '#!/bin/sh'
	echo "# generated by run-guest.sh"
	echo "export VMMIO_NICS=$NICS VMMIO_VERSION=$((2 - LEGACY)) VMMIO_ACCESS=$ACCESS VMMIO_NIC_MODEL=$NIC_MODEL VMMIO_KMOD=$KMOD"
	for ((i = 0; i < NICS; i++)); do
		echo "export VMMIO_DEV_$i=${DEVS[i]} VMMIO_MAC_$i=${MACS[i]} VMMIO_HOST_IP_$i=${IPS[i]}"
	done
	echo 'cd /root'
	if [ ${#CMD[@]} -eq 0 ]; then
		echo 'exec sh -i'
	elif [ ${#CMD[@]} -eq 1 ]; then
		printf '%s\n' "${CMD[0]}"
	else
		for a in "${CMD[@]}"; do printf '%s ' "$(q "$a")"; done
		echo
	fi
} >"$OV/cmd"
chmod 0755 "$OV/cmd"
INITRD=$RUN/initrd
cp "$G/base.cpio.gz" "$INITRD"
# An uncompressed cpio must start 4-byte aligned inside the initrd.
sz=$(stat -c %s "$INITRD")
head -c $(((4 - sz % 4) % 4)) /dev/zero >>"$INITRD"
(cd "$OV" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >>"$INITRD"

# hugepages=N: the kernel reserves the pool at boot, ~1 s faster under TCG
# than /init growing it. -nodefaults: no default NIC (it would be slirp).
# debug-threads: vCPU threads named "CPU n/TCG" on the host (per-thread CPU
# use in usertools/bench-loop.sh).
QARGS=(-M virt -cpu cortex-a57 -smp "$SMP" -m "$MEM" -accel tcg,thread=multi
	-name vmmio-guest,debug-threads=on
	-nographic -nodefaults -no-reboot
	-chardev stdio,id=con,signal=off -serial chardev:con
	-kernel "$G/Image" -initrd "$INITRD"
	-append "console=ttyAMA0 quiet panic=-1 hugepages=$HUGEPAGES vmmio.hugepages=$HUGEPAGES $KARGS $APPEND")
[ "$LEGACY" = 1 ] || QARGS+=(-global virtio-mmio.force-legacy=false)
# Modern-only PCI: DPDK cannot reach a legacy device's I/O BAR on arm64.
NICDEV=virtio-net-device
[ "$NIC_MODEL" = mmio ] || NICDEV="virtio-net-pci,disable-legacy=on,romfile=,addr=%x"
for ((i = 0; i < NICS; i++)); do
	# shellcheck disable=SC2059
	dev=$(printf "$NICDEV" $((i + 1)))${PROFILE_PROPS:+,$PROFILE_PROPS}${MTU:+,host_mtu=$MTU}
	[ "$PACKED" = 0 ] || dev+=",packed=on"
	for p in "${NICPROPS[@]}"; do
		[ "${p%%:*}" != "$i" ] || dev+=",${p#*:}"
	done
	if [ "$NET" = tap ]; then
		# vnet_hdr=on: the virtio-net header crosses the tap, so the
		# device can offer checksum/TSO offloads (csum, guest_tso4, ...
		# default on) and GSO frames pass whole; QEMU fails if the tap
		# cannot do it instead of silently dropping the offloads.
		# --queues N: one tap queue per pair; QEMU maps tap queue k to
		# receiveq/transmitq k+1 and offers MQ only with mq=on.
		nq= mqdev=
		[ "$QUEUES" = 1 ] || { nq=",queues=$QUEUES"; mqdev=",mq=on"; }
		QARGS+=(-netdev "tap,id=net$i,ifname=${TAPS[i]},script=no,downscript=no,vnet_hdr=on$nq"
			-device "$dev,id=nic$i,netdev=net$i,mac=${MACS[i]}$mqdev")
	elif [ "$NET" = hub ]; then
		# QEMU's hub repeats a frame to every other port of the hub.
		QARGS+=(-netdev "hubport,id=net$i,hubid=0"
			-device "$dev,id=nic$i,netdev=net$i,mac=${MACS[i]}")
	else
		QARGS+=(-device "$dev,id=nic$i,mac=${MACS[i]}")
	fi
done
[ -z "$MONITOR" ] || QARGS+=(-monitor "unix:$MONITOR,server=on,wait=off")

for ((i = 0; i < NICS; i++)); do
	if [ "$NET" = tap ]; then
		log "NIC$i ${DEVS[i]} mac ${MACS[i]} <-> tap ${TAPS[i]} in netns ${NSS[i]} (${IPS[i]}/24)"
	elif [ "$NET" = hub ]; then
		log "NIC$i ${DEVS[i]} mac ${MACS[i]} <-> QEMU hub 0"
	else
		log "NIC$i ${DEVS[i]} mac ${MACS[i]} (no backend)"
	fi
done
RINGS="split"
[ "$PACKED" = 0 ] || RINGS=packed
log "booting: $NIC_MODEL NICs ($QUEUES queue pair(s) each, $RINGS rings), virtio-mmio v$((2 - LEGACY)), $KMOD, access $ACCESS, ${SMP} vCPUs, ${MEM} MiB, timeout ${TIMEOUT} s"

# Console plumbing: fd 7 writes to the guest's serial (stop requests and the
# forwarded stdin), QEMU's output is teed to stdout, the log and a FIFO parsed
# below for the markers.
mkfifo "$RUN/con.in" "$RUN/parse"
exec 7<>"$RUN/con.in"
[ -z "$LOG" ] || : >"$LOG"
T0=$EPOCHREALTIME
# QEMU in its own process group, so a terminal Ctrl-C reaches only this script.
setsid qemu-system-aarch64 "${QARGS[@]}" <"$RUN/con.in" > >(exec tee -a "$RUN/parse" ${LOG:+"$LOG"}) &
QPID=$!
exec 9<"$RUN/parse"
# Background jobs get /dev/null as stdin unless it is redirected explicitly.
[ "$STDIN" = 0 ] || exec 6<&0

elapsed() { echo "$EPOCHREALTIME $T0" | awk '{printf "%.1f", $1 - $2}'; }

# Taps: wait until QEMU has attached (carrier on), then move each into its
# namespace; QEMU keeps its open queue across the move.
if [ "$NET" = tap ]; then
	for ((i = 0; i < NICS; i++)); do
		for n in $(seq 100); do
			[ "$(cat "/sys/class/net/${TAPS[i]}/carrier" 2>/dev/null)" = 1 ] && break
			kill -0 "$QPID" 2>/dev/null || break
			sleep 0.1
		done
		[ "$(cat "/sys/class/net/${TAPS[i]}/carrier" 2>/dev/null)" = 1 ] ||
			die "QEMU did not attach to tap ${TAPS[i]} within 10 s"
		ip link set "${TAPS[i]}" netns "${NSS[i]}"
		ip -n "${NSS[i]}" addr add "${IPS[i]}/24" dev "${TAPS[i]}"
		[ -z "$MTU" ] || ip -n "${NSS[i]}" link set "${TAPS[i]}" mtu "$MTU"
		ip -n "${NSS[i]}" link set "${TAPS[i]}" up
	done
fi

STATUS=
HOOKST=
STOPPED=0
INTS=0
stop_guest() {
	STOPPED=1
	printf 'vmmio-stop\n' >&7
}
on_int() {
	INTS=$((INTS + 1))
	if [ "$INTS" -eq 1 ]; then
		log "interrupt: sending vmmio-stop to the guest (again to kill QEMU)"
		stop_guest
	else
		log "interrupt: killing QEMU"
		kill -TERM "$QPID" 2>/dev/null || true
	fi
}
trap on_int INT

start_hook() {
	local envs=(VMMIO_NICS="$NICS" VMMIO_MONITOR="$MONITOR"
		VMMIO_CONSOLE_IN="$RUN/con.in" VMMIO_QEMU_PID="$QPID") i
	for ((i = 0; i < NICS; i++)); do
		envs+=(VMMIO_DEV_$i="${DEVS[i]}" VMMIO_GUEST_MAC_$i="${MACS[i]}")
		[ "$NET" != tap ] || envs+=(VMMIO_NETNS_$i="${NSS[i]}" VMMIO_IP_$i="${IPS[i]}"
			VMMIO_TAP_$i="${TAPS[i]}")
	done
	log "ready marker seen after $(elapsed) s: starting host hook"
	env "${envs[@]}" setsid bash -c "$HOOK" </dev/null &
	HOOKPID=$!
}

check_line() {
	local l=${1//$'\r'/}
	if [[ $l =~ VMMIO-EXIT-STATUS=([0-9]+) ]]; then
		STATUS=${BASH_REMATCH[1]}
	elif [[ $l == "vmmio-init: running /cmd"* ]]; then
		log "guest reached /cmd after $(elapsed) s"
		# Forward stdin only now: bytes sent before /init holds the
		# console open are dropped by the guest's UART driver.
		if [ "$STDIN" = 1 ] && [ -z "$FWDPID" ]; then
			cat <&6 >&7 9<&- &
			FWDPID=$!
		fi
	fi
}

DEADLINE=$((SECONDS + TIMEOUT))
buf=
while :; do
	chunk=
	if IFS= read -r -t 1 -u 9 chunk; then
		check_line "$buf$chunk"
		[ -z "$READY" ] || [ -n "$HOOKPID" ] || [[ $buf$chunk != *"$READY"* ]] || start_hook
		buf=
	else
		rc=$?
		if [ "$rc" -le 128 ]; then
			[ -z "$buf$chunk" ] || check_line "$buf$chunk"
			break
		fi
		# Timed out mid-line (a prompt): keep the partial text.
		buf+=$chunk
		[ -z "$READY" ] || [ -n "$HOOKPID" ] || [[ $buf != *"$READY"* ]] || start_hook
	fi
	if [ -n "$HOOKPID" ] && [ -z "$HOOKST" ] && ! kill -0 "$HOOKPID" 2>/dev/null; then
		HOOKST=0
		wait "$HOOKPID" || HOOKST=$?
		log "host hook exited with status $HOOKST after $(elapsed) s: sending vmmio-stop"
		stop_guest
	fi
	if [ "$SECONDS" -ge "$DEADLINE" ]; then
		echo "error: timeout: guest still running after $TIMEOUT s, killed QEMU (pid $QPID)" >&2
		exit 124
	fi
done
QST=0
wait "$QPID" || QST=$?
QPID=
log "QEMU exited (status $QST) after $(elapsed) s"

if [ -n "$HOOKPID" ] && [ -z "$HOOKST" ]; then
	if kill -0 "$HOOKPID" 2>/dev/null; then
		kill -TERM -- "-$HOOKPID" 2>/dev/null || true
		echo "error: the guest command ended before the host hook did (hook killed)" >&2
		HOOKST=1
		wait "$HOOKPID" 2>/dev/null || true
	else
		HOOKST=0
		wait "$HOOKPID" || HOOKST=$?
	fi
	HOOKPID=
fi
if [ -n "$READY" ] && [ -z "$HOOKPID" ] && [ -z "$HOOKST" ]; then
	echo "error: ready marker '$READY' never appeared on the console" >&2
	HOOKST=1
fi
if [ -z "$STATUS" ]; then
	echo "error: guest did not report an exit status (kernel panic or crash?)" >&2
	exit 1
fi
log "guest command exit status $STATUS"
if [ -n "$HOOKST" ] && [ "$HOOKST" != 0 ]; then
	log "host hook failed with status $HOOKST"
	exit "$HOOKST"
fi
exit "$STATUS"
