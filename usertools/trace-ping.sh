#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Where the time of a ping through interrupt-mode l2fwd goes (not a test):
# boots the guest with l2fwd on the PMD's two ports, records a few pings
# with the guest kernel's tracefs (interrupts, IPIs, scheduler wake-ups and
# switches, the eventfd system calls), prints the timeline of every PMD
# interrupt (microseconds after it) and a summary table, then measures 100
# pings at 20/s with tracing off. doc/rx-modes.md shows its output.
#   usertools/trace-ping.sh [--rx-mode interrupt|adaptive|poll]
#                           [--rx-intr direct|swring] [--irq-cpu N]
#                           [--taskset CPUS] [--smp N] [--pings N]
#                           [--out DIR]
#   --rx-mode     l2fwd's RX mode (default interrupt)
#   --rx-intr     devarg rx_intr of both ports (default: the PMD's)
#   --irq-cpu     route the PMD's interrupts to guest CPU N
#   --taskset     run l2fwd (and so EAL's threads) on these guest CPUs only
#   --smp         guest vCPUs (default 2)
#   --pings       pings traced (default 4, 0.3 s apart)
#   --out         results directory (default: a new one under /tmp)
set -euo pipefail
. "$(dirname "$0")/lib/guest.sh"

rxmode=interrupt
rxintr=
irq_cpu=-
cpus=-
smp=2
pings=4
out=
while [ $# -gt 0 ]; do
	case $1 in
	--rx-mode | --rx-intr | --irq-cpu | --taskset | --smp | --pings | --out)
		[ $# -ge 2 ] || die "option $1 needs a value (see --help)" ;;
	esac
	case $1 in
	--rx-mode) rxmode=$2; shift ;;
	--rx-intr) rxintr=$2; shift ;;
	--irq-cpu) irq_cpu=$2; shift ;;
	--taskset) cpus=$2; shift ;;
	--smp) smp=$2; shift ;;
	--pings) pings=$2; shift ;;
	--out) out=$2; shift ;;
	-h | --help) sed -n '3,/^set -euo/{/^set -euo/d;p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
case $rxmode in interrupt | adaptive | poll) ;; *) die "--rx-mode must be interrupt, adaptive or poll" ;; esac
case $rxintr in '' | direct | swring) ;; *) die "--rx-intr must be direct or swring" ;; esac
[ "$irq_cpu" = - ] || need_range --irq-cpu "$irq_cpu" 0 7
[ "$cpus" = - ] || [[ $cpus =~ ^[0-9]+([,-][0-9]+)*$ ]] || die "--taskset takes a CPU list, like 0 or 0-1"
need_range --smp "$smp" 1 4
need_range --pings "$pings" 1 20

cd "$VMMIO_TOP"
need_root
bash usertools/build.sh aarch64
bash usertools/build-guest.sh >/dev/null
[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/vmmio-trace.XXXXXX")
mkdir -p "$out"
log "results in $out"
devarg=${rxintr:+,rx_intr=$rxintr}
HOOK_OUT=$out HOOK_TRACED=$pings \
bash usertools/run-guest.sh --nics 2 --net tap --access mmap --smp "$smp" \
	--no-stdin --timeout 300 --log "$out/console" \
	--file "build-aarch64/examples/l2fwd/vmmio-l2fwd:/usr/bin/vmmio-l2fwd" \
	--file "usertools/lib/trace-guest.sh:/usr/bin/trace-guest" \
	--ready-marker TRACE-READY \
	--host-hook "bash $VMMIO_TOP/usertools/lib/trace-hook.sh $out/console" \
	-- "exec sh /usr/bin/trace-guest $irq_cpu $cpus -l 0 -n 1 --iova-mode=pa --no-pci \
	$(vdev_pair "$devarg") \
	-- --no-mac-updating -T 0 --rx-mode $rxmode" >/dev/null 2>"$out/run-guest.err" ||
	die "the guest run failed: $(tail -1 "$out/run-guest.err") (console: $out/console)"
grep -h '^TRACE-IRQ\|^TRACE-TASK' "$out/console" | tr -d '\r'
python3 usertools/lib/trace-report.py "$out/console" "$out"
