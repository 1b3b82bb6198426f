#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Check a vmmio-testpmd log from cli.sh / cli-hook.sh.

The log holds two runs (each starts with a CLI-READY line); each run is cut
into (command, output lines) pairs at the CLI's echo lines
("vmmio-testpmd> CMD"); each check names the command whose answer it reads.
"""
import re
import sys

PROMPT = "vmmio-testpmd> "
TX_FIRST = 4 * 32  # start tx_first 4, default burst 32


def sessions(path):
    """[(ready line, [(command, output lines)], lines after the last command)]"""
    text = open(path, errors="replace").read().replace("\r", "")
    runs, cur = [], None
    for line in text.split("\n"):
        if line.startswith("CLI-READY "):
            runs.append((line, [], []))
            cur = runs[-1][2]
        elif runs and PROMPT in line:
            runs[-1][1].append((line.split(PROMPT, 1)[1].strip(), []))
            cur = runs[-1][1][-1][1]
        elif cur is not None:
            cur.append(line)
    return runs


def kv(line):
    return dict(w.split("=", 1) for w in line.split()[1:] if "=" in w)


def answers(sess, cmd):
    """Output of every run of cmd, in order."""
    return [o for c, o in sess if c == cmd]


def tagged(lines, tag):
    return [kv(l) for l in lines if l.startswith(tag + " ")]


def by_port(rows):
    return {r["port"]: r for r in rows}


def num(d):
    return {k: int(v) for k, v in d.items() if v.isdigit()}


fails = []


def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        fails.append(msg)


def main():
    runs = sessions(sys.argv[1])
    check(len(runs) == 2, "two CLI runs (%d)" % len(runs))
    if len(runs) != 2:
        sys.exit(1)

    # run 1: --cmdline-file, one lcore; quit ends it before the last line
    pre = runs[0][1]
    check([c for c, _ in pre] == ["show config fwd", "start", "quit"],
          "command file ran up to quit: %r" % [c for c, _ in pre])
    check(tagged(pre[0][1], "FWD-CONFIG")[0].get("lcores") == "0",
          "no forwarding lcore with -l 0")
    check(any(l.startswith("error: no forwarding lcore") for l in pre[1][1]),
          "start refused without a forwarding lcore")
    check("Bye..." in pre[2][1], "quit closed the ports and said Bye")

    # run 2: --auto-start, driven through stdin
    sess = runs[1][1]
    check(len(sess) > 0, "the CLI echoed commands")
    fwd = answers(sess, "show config fwd")[0]
    check(tagged(fwd, "FWD-CONFIG")[0].get("running") == "yes", "--auto-start started forwarding")

    # show port info: driver, MAC from run-guest.sh, link up
    info = by_port(tagged(answers(sess, "show port info all")[0], "PORT-INFO"))
    for p in ("0", "1"):
        i = info.get(p, {})
        check(i.get("driver") == "net_virtio_mmio", "port %s driver %r" % (p, i.get("driver")))
        check(i.get("mac") == "52:54:00:12:34:0%d" % (int(p) + 1), "port %s mac %r" % (p, i.get("mac")))
        check(i.get("link") == "up" and i.get("state") == "started",
              "port %s link %r state %r" % (p, i.get("link"), i.get("state")))
    check(len(tagged(fwd, "FWD-STREAM")) == 2, "show config fwd lists 2 streams")

    # io forwarding with tx_first and host traffic
    stops = answers(sess, "stop")[1:]  # the first stops --auto-start
    check(len(stops) == 4, "four stop commands answered after auto-start (%d)" % len(stops))
    fs = {k: num(v) for k, v in by_port(tagged(stops[0], "FWD-STATS")).items()}
    check(sorted(fs) == ["0", "1"], "forward statistics for both ports")
    for p, q in (("0", "1"), ("1", "0")):
        s, t = fs[p], fs[q]
        # frames.py: 200 frames each way, plus ping and ARP
        check(s["rx-packets"] >= 200, "port %s forwarded rx %d >= 200" % (p, s["rx-packets"]))
        check(t["tx-first"] == TX_FIRST, "port %s tx_first packets %d" % (q, t["tx-first"]))
        # io: everything port p received went out of q, or was counted dropped
        check(t["tx-packets"] + t["tx-dropped"] == s["rx-packets"] + t["tx-first"],
              "port %s rx %d + tx_first %d == port %s tx %d + dropped %d"
              % (p, s["rx-packets"], t["tx-first"], q, t["tx-packets"], t["tx-dropped"]))
    stats = answers(sess, "show port stats all")
    check(len(stats) == 3, "show port stats answered three times (%d)" % len(stats))
    st = {k: num(v) for k, v in by_port(tagged(stats[1], "PORT-STATS")).items()}
    for p in ("0", "1"):
        # counters were cleared before start: ethdev agrees with the engine
        check(st[p]["rx-packets"] == fs[p]["rx-packets"] and
              st[p]["tx-packets"] == fs[p]["tx-packets"],
              "port %s ethdev rx/tx %d/%d == forwarded %d/%d" % (
                  p, st[p]["rx-packets"], st[p]["tx-packets"],
                  fs[p]["rx-packets"], fs[p]["tx-packets"]))
        check(st[p]["rx-errors"] == 0 and st[p]["tx-errors"] == 0, "port %s no errors" % p)
    # busy-poll: one queue line per port, never a sleep
    qs = by_port(tagged(stats[1], "PORT-QSTATS"))
    check(sorted(qs) == ["0", "1"] and
          all(q.get("queue") == "0" and q.get("sleeps") == "0" and q.get("wakeups") == "0"
              for q in qs.values()),
          "poll mode: queue 0 of each port, no sleep, no wake-up: %r" % qs)
    xs = [l for l in answers(sess, "show port xstats 0")[0] if l.startswith("PORT-XSTAT port=0 ")]
    check(any(l.startswith("PORT-XSTAT port=0 rx_good_packets=") and
              int(l.rsplit("=", 1)[1]) == fs["0"]["rx-packets"] for l in xs),
          "xstats rx_good_packets matches the forwarded count")

    # wrong input: a message, and the CLI carries on
    def said(cmd, pattern):
        outs = answers(sess, cmd)
        check(len(outs) > 0 and any(re.search(pattern, l) for l in outs[0]),
              "%r -> /%s/" % (cmd, pattern))

    said("frobnicate", r"^error: unknown command: frobnicate")
    said("show port info 7", r"^error: invalid port 7")
    # QEMU's virtio-net offers VIRTIO_NET_F_CTRL_RX: the control queue sets the filter
    said("set promisc 0 off", r"^PORT-PROMISC port=0 off")
    said("set promisc 0 on", r"^PORT-PROMISC port=0 on")
    said("port config mtu 0 20000", r"^error: port 0: set mtu failed: Invalid argument")
    said("start tx_first 0", r"^error: tx_first needs at least 1 burst")
    rxq = answers(sess, "port config all rxq 4")
    check(len(rxq) == 2 and any("is started" in l for l in rxq[0]) and
          any("out of range" in l for l in rxq[1]),
          "rxq 4 refused while started, then as out of range")

    # reconfiguration
    info2 = by_port(tagged(answers(sess, "show port info all")[1], "PORT-INFO"))
    for p in ("0", "1"):
        i = info2.get(p, {})
        check(i.get("rxd") == "512" and i.get("rxq") == "1" and i.get("state") == "started",
              "port %s after reconfiguration: rxd %r rxq %r %r" % (
                  p, i.get("rxd"), i.get("rxq"), i.get("state")))
    fs2 = {k: num(v) for k, v in by_port(tagged(stops[1], "FWD-STATS")).items()}
    check(all(fs2[p]["rx-packets"] >= 3 and fs2[p]["tx-packets"] >= 3 for p in ("0", "1")),
          "forwarding after reconfiguration (ping): %r" % fs2)

    # icmpecho: port 0 answered ARP + 3 echo requests on itself
    fs3 = {k: num(v) for k, v in by_port(tagged(stops[2], "FWD-STATS")).items()}
    check(fs3["0"]["tx-packets"] >= 4 and fs3["1"]["tx-packets"] == 0,
          "icmpecho replies only on port 0: %r" % fs3)

    # interrupt mode: io forwarding of the host's frames both ways, the lcore
    # asleep between bursts, woken by each port's queue, which the PMD saw
    # interrupts for
    fs4 = {k: num(v) for k, v in by_port(tagged(stops[3], "FWD-STATS")).items()}
    for p, q in (("0", "1"), ("1", "0")):
        s, t = fs4[p], fs4[q]
        check(s["rx-packets"] >= 200, "interrupt mode: port %s rx %d >= 200" % (p, s["rx-packets"]))
        check(t["tx-packets"] + t["tx-dropped"] == s["rx-packets"],
              "interrupt mode: port %s rx %d == port %s tx %d + dropped %d"
              % (p, s["rx-packets"], q, t["tx-packets"], t["tx-dropped"]))
    qs = by_port(tagged(stats[2], "PORT-QSTATS"))
    for p in ("0", "1"):
        q = qs.get(p, {})
        n = {k: int(v) for k, v in q.items() if v.isdigit()}
        check(n.get("rx-packets", 0) >= 200 and 0 < n.get("wakeups", 0) <= n.get("sleeps", 0)
              and n.get("interrupts", 0) > 0,
              "interrupt mode: port %s queue 0 rx >= 200, 0 < wakeups <= sleeps, "
              "interrupts > 0: %r" % (p, q))

    # SIGINT (run-guest.sh's vmmio-stop) ended the CLI cleanly
    check("Bye..." in sess[-1][1], "SIGINT closed the ports and said Bye")
    if fails:
        print("FAIL: %d checks" % len(fails))
        sys.exit(1)
    print("PASS")


main()
