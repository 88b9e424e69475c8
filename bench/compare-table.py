#!/usr/bin/env python3
"""Turns the JSON lines of bench/compare.sh (one file per broker, scenario and round) into markdown
tables: each figure's median over the rounds per broker, Aviary's ratio to each peer, and the
brokers' CPU microseconds per message.
    compare-table.py RESULTS_DIR BROKERS(comma-separated, in column order)
"""
import glob
import json
import os
import statistics
import sys

results_dir, brokers = sys.argv[1], sys.argv[2].split(",")

# (scenario, label, how to read the figure from one JSON result, True when higher is better[, first pass])
# A figure marked "first pass" is read from the first pass after the start when there is one: a
# warm-up's connections would already have grown the process, hiding part of what each connection
# costs. Over all the connections it includes one-time costs (code compiled, pools and heap regions
# first touched); over the second half, after the first has paid them, what each further one costs.
FIGURES = [
    ("fanin-q0", "fan-in 16 → 1, QoS 0 (msg/s received)", lambda d: d["recv_rate"], True),
    ("fanin-q1", "fan-in 16 → 1, QoS 1 (msg/s received)", lambda d: d["recv_rate"], True),
    ("fanin-q1", "fan-in 16 → 1, QoS 1: acknowledged to publishers (msg/s)", lambda d: d["ack_rate"], True),
    ("fanin-q1", "fan-in 16 → 1, QoS 1: acknowledged messages delivered (%)",
     lambda d: 100.0 * d["received"] / d["acked"] if d["acked"] else None, True),
    ("fanout-q0", "fan-out 1 → 100, QoS 0 (deliveries/s)", lambda d: d["recv_rate"], True),
    ("p2p-q1", "p2p, 100 pairs, QoS 1 (msg/s)", lambda d: d["recv_rate"], True),
    ("latency", "latency at 10k msg/s, QoS 0: p50 (µs)", lambda d: d["latency_us"]["p50"], False),
    ("latency", "latency at 10k msg/s, QoS 0: p99 (µs)", lambda d: d["latency_us"]["p99"], False),
    ("latency", "latency at 10k msg/s, QoS 0: p99.9 (µs)", lambda d: d["latency_us"]["p999"], False),
    ("conn", "connection rate (CONNACK/s)", lambda d: d.get("conn_rate"), True),
    ("conn", "RSS per idle connection (KB)", lambda d: d.get("broker", {}).get("rss_kb_per_conn"), False, True),
    ("conn", "RSS per idle connection (KB), the second half of them",
     lambda d: d.get("broker", {}).get("rss_kb_per_conn_second_half"), False, True),
]
CPU_LABELS = {
    "conn": "connect (µs per connection)",
    "fanin-q0": "fan-in QoS 0",
    "fanin-q1": "fan-in QoS 1",
    "fanout-q0": "fan-out QoS 0 (per delivery)",
    "p2p-q1": "p2p QoS 1",
    "latency": "latency run (10k msg/s)",
}
# Aviary mode -> the peers it is compared with.
RATIOS = [
    ("aviary-memory", "mosquitto"),
    ("aviary-memory", "hivemq-memory"),
    ("aviary-durable", "hivemq-file"),
    ("aviary-durable", "mosquitto"),
]
SHORT = {"aviary-memory": "Aviary mem", "aviary-durable": "Aviary durable", "mosquitto": "Mosquitto",
         "hivemq-memory": "HiveMQ mem", "hivemq-file": "HiveMQ file"}


def load(broker, scenario, folder=None):
    out = []
    for path in sorted(glob.glob(os.path.join(folder or results_dir, f"{broker}.{scenario}.r*.json"))):
        try:
            with open(path) as f:
                out.append(json.loads(f.read().strip().splitlines()[-1]))
        except (OSError, ValueError, IndexError):
            pass  # a failed run: its log says why
    return out


def median(broker, scenario, read, folder=None):
    values = []
    for d in load(broker, scenario, folder):
        try:
            v = read(d)
        except (KeyError, TypeError, ZeroDivisionError):
            v = None
        if v is not None and v >= 0:
            values.append(v)
    return statistics.median(values) if values else None


def fmt(v):
    if v is None:
        return "–"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


ratios = [(a, p) for a, p in RATIOS if a in brokers and p in brokers]
cold = os.path.join(results_dir, "cold")


def figure_table(folder=None, only=None):
    head = ["figure"] + [SHORT.get(b, b) for b in brokers] + [f"{SHORT[a]} ÷ {SHORT[p]}" for a, p in ratios]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for scenario, label, read, higher, *first_pass in FIGURES:
        if only and scenario not in only:
            continue
        where = folder
        if folder is None and first_pass and glob.glob(os.path.join(cold, f"*.{scenario}.r*.json")):
            where, label = cold, label + ", fresh broker"
        values = {b: median(b, scenario, read, where) for b in brokers}
        if all(v is None for v in values.values()):
            continue
        row = [label + ("" if higher else " ↓")] + [fmt(values[b]) for b in brokers]
        for a, p in ratios:
            row.append(f"{values[a] / values[p]:.2f}×" if values[a] is not None and values[p] else "–")
        print("| " + " | ".join(row) + " |")
    print()


figure_table()
print("↓ = lower is better. Throughput is what the subscribers received per second (deliveries), medians over the rounds.")
print()
print("Broker CPU time per message (µs, utime + stime of the broker process over the measurement window, "
      "divided by the messages delivered in it; lower is better):")
print()
head = ["scenario"] + [SHORT.get(b, b) for b in brokers] + [f"{SHORT[a]} ÷ {SHORT[p]}" for a, p in ratios]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for scenario, label in CPU_LABELS.items():
    values = {b: median(b, scenario, lambda d: d.get("broker", {}).get("cpu_us_per_msg")) for b in brokers}
    if all(v is None for v in values.values()):
        continue
    row = [label] + [fmt(values[b]) for b in brokers]
    for a, p in ratios:
        row.append(f"{values[a] / values[p]:.2f}×" if values[a] is not None and values[p] else "–")
    print("| " + " | ".join(row) + " |")
print()
print("Load generator's own CPU in the measurement window (cores; 2 cores in all on this machine):")
print()
head = ["scenario"] + [SHORT.get(b, b) for b in brokers]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for scenario in CPU_LABELS:
    values = {b: median(b, scenario, lambda d: d.get("generator", {}).get("cores_used")) for b in brokers}
    if all(v is None for v in values.values()):
        continue
    print("| " + " | ".join([scenario] + [fmt(values[b]) for b in brokers]) + " |")

if glob.glob(os.path.join(cold, "*.json")):
    print()
    print("The first pass after the broker started (the JVM brokers' JIT compilers still at work): the"
          " connections opened with no warm-up, the latency run for the --warm-pass seconds; medians over the rounds:")
    print()
    figure_table(cold, {"conn", "latency"})
    head = ["broker CPU (µs per message)"] + [SHORT.get(b, b) for b in brokers]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for scenario, label in CPU_LABELS.items():
        values = {b: median(b, scenario, lambda d: d.get("broker", {}).get("cpu_us_per_msg"), cold) for b in brokers}
        if any(v is not None for v in values.values()):
            print("| " + " | ".join([label] + [fmt(values[b]) for b in brokers]) + " |")
