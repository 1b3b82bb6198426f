#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The main job: boot the aarch64 guest with two virtio-mmio NICs, run l2fwd on
# the PMD between them, push iperf3 TCP traffic from one host network
# namespace to the other through the guest, and summarize.
#   usertools/main-job.sh [--legacy] [--access mmap|pread] [--kmod vfio|uio]
#                         (kernel interface, run-guest.sh: uio is upstream
#                         uio_pdrv_genirq, mmap access only) [--duration SEC]
#                         [--streams N] [--json PATH]
#                         [--rx-mode poll|interrupt|adaptive] [--no-offload]
#                         [--rx-csum-only] (l2fwd as DPDK's routers: RX
#                         checksum offload only, frames forwarded untouched)
#                         [--vs-bridge]   (also measure the guest kernel's bridge)
#                         [--l2fwd PATH]  (use this aarch64 binary, build nothing)
#                         [--no-event-idx] (PMD devarg event_idx=0: flag-based
#                         notification suppression instead of VIRTIO_F_EVENT_IDX)
#                         [--profile NAME] (device profile, run-guest.sh:
#                         qemu-default, firecracker-like, minimal-modern,
#                         legacy-bare)
#                         [--packed] (modern NICs that offer packed
#                         virtqueues, run-guest.sh --packed)
# Offloads (checksum, TSO, LRO) are on by default wherever the ports offer
# them; --no-offload forwards MTU-sized frames only. The summary says which
# offloads each port ran with and the mean frame size the guest sent.
# --vs-bridge boots the same guest a second time with the kernel's own
# virtio_mmio + virtio_net drivers and a bridge instead of l2fwd, runs the same
# iperf3 test, and reports the PMD's throughput as a ratio of the bridge's.
set -euo pipefail
. "$(dirname "$0")/lib/guest.sh"
. "$(dirname "$0")/lib/profiles.sh"

mode=modern
access=mmap
kmod=vfio
duration=10
streams=1
json=
l2fwd=
rxmode=poll
offload=on
vs_bridge=0
evidx=
profile=qemu-default
packed=0
while [ $# -gt 0 ]; do
	case $1 in
	--legacy) mode=legacy ;;
	--modern) mode=modern ;;
	--packed) packed=1 ;;
	--access) access=$2; shift ;;
	--kmod) kmod=$2; shift ;;
	--duration) duration=$2; shift ;;
	--streams) streams=$2; shift ;;
	--json) json=$2; shift ;;
	--l2fwd) l2fwd=$2; shift ;;
	--rx-mode) rxmode=$2; shift ;;
	--no-offload) offload=off ;;
	--rx-csum-only) offload=rx-csum-only ;;
	--offload) offload=on ;;
	--vs-bridge) vs_bridge=1 ;;
	--no-event-idx) evidx=,event_idx=0 ;;
	--profile) profile=$2; shift ;;
	-h|--help) sed -n '2,/^set -euo/{/^set -euo/d;p}' "$0"; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
case $access in mmap|pread) ;; *) die "--access must be mmap or pread" ;; esac
case $kmod in vfio|uio) ;; *) die "--kmod must be vfio or uio" ;; esac
[ "$kmod:$access" != uio:pread ] || die "--access pread needs --kmod vfio: UIO only maps the registers"
profile_get "$profile" || die "--profile must be one of: $PROFILES"
[ "$PROFILE_LEGACY" = 0 ] || mode=legacy
[ "$packed:$mode" != 1:legacy ] || die "--packed needs a modern device (legacy has split virtqueues only)"
case $rxmode in poll|interrupt|adaptive) ;; *) die "--rx-mode must be poll, interrupt or adaptive" ;; esac
need_range --duration "$duration" 1 600 seconds
need_range --streams "$streams" 1 16

need_root
[ -z "$l2fwd" ] || l2fwd=$(realpath "$l2fwd")
cd "$VMMIO_TOP"
if [ -z "$l2fwd" ]; then
	bash usertools/build.sh aarch64
	l2fwd=build-aarch64/examples/l2fwd/vmmio-l2fwd
fi
[ -x "$l2fwd" ] || die "$l2fwd is not an executable"
bash usertools/build-guest.sh >/dev/null

out=$(mktemp -d "${TMPDIR:-/tmp}/vmmio-main.XXXXXX")
json=${json:-$out/summary.json}
# the device both runs (PMD, --vs-bridge) boot with
dev_opt=(--profile "$profile")
[ $mode = legacy ] && dev_opt+=(--legacy)
[ $packed = 0 ] || dev_opt+=(--packed)

offload_opt=--offload
[ $offload = off ] && offload_opt=--no-offload
[ $offload = rx-csum-only ] && offload_opt=--rx-csum-only
log "guest: $mode virtio-mmio ($profile$([ $packed = 0 ] || echo ", packed rings")), $kmod, $access register access, $rxmode RX, offloads $offload; iperf3 ${duration}s, $streams stream(s)"
set +e
HOOK_OUT=$out HOOK_DURATION=$duration HOOK_STREAMS=$streams \
bash usertools/run-guest.sh --nics 2 --net tap --access "$access" --kmod "$kmod" "${dev_opt[@]}" \
	--timeout $((duration + 400)) --log "$out/console.log" \
	--file "$l2fwd:/usr/bin/vmmio-l2fwd" \
	--ready-marker L2FWD-READY --host-hook "bash $VMMIO_TOP/usertools/lib/iperf-hook.sh" \
	-- "exec vmmio-l2fwd -l 0 -n 1 --iova-mode=pa --no-pci \
	--log-level=pmd.net.virtio_mmio:info $(vdev_pair ",access=$access$evidx") \
	-- --no-mac-updating -T 5 --rx-mode $rxmode $offload_opt"
rc=$?
brc=
if [ $vs_bridge = 1 ]; then
	log "same test through the guest kernel's virtio_net drivers and a bridge"
	mkdir -p "$out/bridge"
	HOOK_OUT=$out/bridge HOOK_DURATION=$duration HOOK_STREAMS=$streams \
	bash usertools/run-guest.sh --nics 2 --net tap "${dev_opt[@]}" \
		--timeout $((duration + 400)) --log "$out/bridge/console.log" \
		--file "usertools/lib/guest-fwd.sh:/usr/bin/guest-fwd" \
		--ready-marker FWD-READY --host-hook "bash $VMMIO_TOP/usertools/lib/iperf-hook.sh" \
		-- "exec sh /usr/bin/guest-fwd bridge"
	brc=$?
fi
set -e

guest_py - "$out" "$json" "$mode" "$access" "$duration" "$rc" "$rxmode" "$offload" "$brc" "${evidx:+off}" "$profile" "$kmod" "$packed" <<'PY'
import json, re, sys
import vmmio_console
out, path, mode, access, duration, rc, rxmode, offload, brc, evidx, profile, kmod, packed = sys.argv[1:]
res = {"mode": mode, "access": access, "kmod": kmod, "rx_mode": rxmode, "duration_s": int(duration),
       "guest_status": int(rc), "offload": offload, "event_idx": evidx != "off",
       "profile": profile, "packed_offered": packed == "1"}
try:
    j = json.load(open(out + "/iperf3.json"))
    e = j["end"]
    res["mbit_per_s"] = round(e["sum_received"]["bits_per_second"] / 1e6, 1)
    res["retransmits"] = e["sum_sent"].get("retransmits")
except Exception as exc:
    res["iperf3_error"] = str(exc)
try:
    m = re.search(r"= [\d.]+/([\d.]+)/", open(out + "/ping.txt").read())
    res["ping_avg_ms"] = float(m.group(1)) if m else None
except OSError:
    pass
console = vmmio_console.read(out + "/console.log")
ports = {p: {k: v for k, v in s.items() if k != "port"}
         for p, s in vmmio_console.l2fwd_final(console).items()}
offloads = {p: {d: [] if kv[d] == "none" else kv[d].split(",") for d in ("rx", "tx")}
            for p, kv in vmmio_console.l2fwd_offloads(console).items()}
# the PMD's INFO line: the features port N (vdev net_virtio_mmioN) runs with
features = {p: got for p, got, _ in vmmio_console.features(console)}
res["ports"] = ports
res["features"] = features
# TCP checksum errors the host namespaces counted during iperf3
try:
    c = {}
    for line in open(out + "/csum.txt"):
        when, ns, val = line.split()
        c[(when, ns)] = int(val)
    res["tcp_in_csum_errors"] = sum(c[("after", ns)] - c[("before", ns)]
                                    for ns in ("ns0", "ns1"))
except (OSError, KeyError, ValueError):
    pass
res["offloads_active"] = offloads
# Frames on the host taps during iperf3: tap1 rx = what the guest forwarded
# to the server side, tap0 tx = what the client side handed to the guest.
try:
    t = {}
    for line in open(out + "/taps.txt"):
        when, tap, key, val = line.split()
        t[(when, tap, key)] = int(val)
    taps = {}
    for tap, d in (("tap0", "tx"), ("tap1", "rx")):
        p = t[("after", tap, d + "_packets")] - t[("before", tap, d + "_packets")]
        b = t[("after", tap, d + "_bytes")] - t[("before", tap, d + "_bytes")]
        taps["%s_%s" % (tap, d)] = {"packets": p, "bytes": b,
                                    "mean_frame_bytes": round(b / p, 1) if p else 0}
    res["taps"] = taps
except (OSError, KeyError, ValueError) as exc:
    res["taps_error"] = str(exc)
if brc != "":
    try:
        e = json.load(open(out + "/bridge/iperf3.json"))["end"]
        res["bridge"] = {"mbit_per_s": round(e["sum_received"]["bits_per_second"] / 1e6, 1),
                         "retransmits": e["sum_sent"].get("retransmits")}
        if res.get("mbit_per_s"):
            res["ratio_vs_bridge"] = round(res["mbit_per_s"] / res["bridge"]["mbit_per_s"], 2)
    except Exception as exc:
        res["bridge"] = {"error": "bridge run failed (status %s): %s" % (brc, exc)}
json.dump(res, open(path, "w"), indent=1)
print("=" * 64)
print("main job: l2fwd on net_virtio_mmio (%s, %s, %s registers, %s RX) in the aarch64 guest" % (mode, kmod, access, rxmode))
print("iperf3 TCP %ss: %s Mbit/s, %s retransmits" % (duration, res.get("mbit_per_s", "n/a"), res.get("retransmits", "n/a")))
for p, f in sorted(features.items()):
    print("port %s features: %s" % (p, " ".join(f) or "none"))
for p, o in sorted(offloads.items()):
    print("port %s offloads: rx %s; tx %s" % (p, ",".join(o["rx"]) or "none", ",".join(o["tx"]) or "none"))
for k, v in sorted(res.get("taps", {}).items()):
    print("host %s: %d frames, mean %.0f bytes" % (k, v["packets"], v["mean_frame_bytes"]))
if "tcp_in_csum_errors" in res:
    print("TCP checksum errors counted by the host namespaces: %d" % res["tcp_in_csum_errors"])
if "ping_avg_ms" in res:
    print("ping through the guest: avg %s ms" % res["ping_avg_ms"])
for p, s in sorted(ports.items()):
    print("port %s: rx %d tx %d dropped %d ierrors %d oerrors %d rx_nombuf %d" % (
        p, s["rx"], s["tx"], s["dropped"], s["ierrors"], s["oerrors"], s["rx_nombuf"]))
if "bridge" in res:
    b = res["bridge"]
    if "mbit_per_s" in b:
        print("kernel bridge, same guest and host: %s Mbit/s, %s retransmits; PMD/bridge = %s"
              % (b["mbit_per_s"], b["retransmits"], res.get("ratio_vs_bridge", "n/a")))
    else:
        print("kernel bridge: %s" % b["error"])
print("summary JSON: %s" % path)
ok = rc == "0" and "mbit_per_s" in res and res["mbit_per_s"] > 0 and len(ports) == 2
sys.exit(0 if ok else 1)
PY
