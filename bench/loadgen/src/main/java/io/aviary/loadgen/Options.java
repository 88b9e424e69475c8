package io.aviary.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line of the load generator, parsed once into plain fields. Every run is bounded:
 * a duration always applies (and a connect timeout to each connection phase), so a run stops by
 * itself whatever the broker does.
 */
public final class Options {
    /** The mode names a scenario: conn, sub, pub, fanin, fanout, p2p, latency. */
    public String mode;
    public String host = "127.0.0.1";
    public int port = 1883;
    /** MQTT protocol level: 4 (3.1.1) or 5. */
    public int version = 4;
    public boolean tls;
    /** PEM CA file the broker's certificate is checked against; none = trust any certificate. */
    public String caFile;
    public boolean cleanStart = true;
    public int keepAlive = 300;
    public String username;
    public String password;
    /** Local source addresses, used round-robin (each gives its own ~28k ephemeral ports). */
    public List<String> ifaddrs = new ArrayList<>();

    /** Connections (conn), subscribers (sub), publishers (pub), or pairs (p2p, latency). */
    public int count = -1;
    public int pubs = 16;
    public int subs = 100;
    /** New connections per second while connecting; 0 = as fast as the broker answers. */
    public int connRate;
    /** Connect attempts that may await their CONNACK at once. */
    public int maxPending = 100;
    /** Messages per second per publisher; 0 = unlimited. */
    public double rate;
    /** Messages per second over all publishers (latency; overrides rate). */
    public double totalRate = -1;
    public int qos = 0;
    public int subQos = -1;
    /** QoS 1/2 messages a publisher may have unacknowledged (capped by the broker's Receive Maximum). */
    public int inflight = 32;
    public int size = 64;
    public String topic;

    public double warmupSeconds = 1;
    public double durationSeconds = 10;
    /** After the measurement: how long to wait for outstanding acknowledgements and deliveries. */
    public double drainSeconds = 5;
    public double connectTimeoutSeconds = 30;
    public int threads = Runtime.getRuntime().availableProcessors();
    /** No per-second lines on stderr. */
    public boolean quiet;
    /** A broker process to read CPU time and RSS of (/proc/PID/stat and status). */
    public long brokerPid = -1;
    public int clockTicks = 100;

    static final String USAGE = String.join("\n",
            "usage: loadgen.sh <mode> [options]",
            "modes:",
            "  conn     --count N connections at --conn-rate R per second (0 = as fast as possible), held for --duration",
            "  sub      --count N subscribers to --topic (default t/%i, %i = client index)",
            "  pub      --count N publishers to --topic (default t/%i) at --rate msg/s each (0 = unlimited)",
            "  fanin    --pubs P publishers -> 1 subscriber (default 16)",
            "  fanout   1 publisher -> --subs S subscribers (default 100)",
            "  p2p      --count N pairs, publisher i -> subscriber i (default 100)",
            "  latency  --count N pairs (default 16) at --total-rate msg/s in all (default 10000); p50/p99/p99.9/max",
            "options:",
            "  -h/--host H (127.0.0.1)  -p/--port P (1883)  -V/--version 4|5 (4)",
            "  --tls  --cafile FILE (PEM; without it any certificate is trusted)",
            "  --clean true|false (true)  --keepalive S (300)  -u/--username U  -P/--password P",
            "  --ifaddr A,B,...        local source addresses, round-robin (more than 60k connections)",
            "  -q/--qos 0|1|2 (0)  --sub-qos Q (= qos)  --inflight W (32)  -s/--size BYTES (64; >= 8 carries the send time)",
            "  -r/--rate R  --total-rate R  --conn-rate R  --max-pending N (100)  -t/--topic TEMPLATE",
            "  -d/--duration S (10)  -w/--warmup S (1)  --drain S (5)  --connect-timeout S (30)",
            "  --threads N (cores)  --quiet  --broker-pid PID  --clock-ticks HZ (100)",
            "output: one line per second on stderr, one JSON line on stdout at the end");

    public static Options parse(String... args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("a mode comes first");
        }
        Options o = new Options();
        o.mode = args[0].toLowerCase(Locale.ROOT);
        if (!List.of("conn", "sub", "pub", "fanin", "fanout", "p2p", "latency").contains(o.mode)) {
            throw new IllegalArgumentException("unknown mode: " + args[0]);
        }
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--tls")) {
                o.tls = true;
                continue;
            }
            if (name.equals("--quiet")) {
                o.quiet = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String v = args[++i];
            switch (name) {
                case "-h": case "--host": o.host = v; break;
                case "-p": case "--port": o.port = Integer.parseInt(v); break;
                case "-V": case "--version": o.version = Integer.parseInt(v); break;
                case "--cafile": o.caFile = v; o.tls = true; break;
                case "--clean": o.cleanStart = Boolean.parseBoolean(v); break;
                case "--keepalive": o.keepAlive = Integer.parseInt(v); break;
                case "-u": case "--username": o.username = v; break;
                case "-P": case "--password": o.password = v; break;
                case "--ifaddr": o.ifaddrs = List.of(v.split(",")); break;
                case "-c": case "--count": o.count = Integer.parseInt(v); break;
                case "--pubs": o.pubs = Integer.parseInt(v); break;
                case "--subs": o.subs = Integer.parseInt(v); break;
                case "--conn-rate": o.connRate = Integer.parseInt(v); break;
                case "--max-pending": o.maxPending = Integer.parseInt(v); break;
                case "-r": case "--rate": o.rate = Double.parseDouble(v); break;
                case "--total-rate": o.totalRate = Double.parseDouble(v); break;
                case "-q": case "--qos": o.qos = Integer.parseInt(v); break;
                case "--sub-qos": o.subQos = Integer.parseInt(v); break;
                case "--inflight": o.inflight = Integer.parseInt(v); break;
                case "-s": case "--size": o.size = Integer.parseInt(v); break;
                case "-t": case "--topic": o.topic = v; break;
                case "-d": case "--duration": o.durationSeconds = Double.parseDouble(v); break;
                case "-w": case "--warmup": o.warmupSeconds = Double.parseDouble(v); break;
                case "--drain": o.drainSeconds = Double.parseDouble(v); break;
                case "--connect-timeout": o.connectTimeoutSeconds = Double.parseDouble(v); break;
                case "--threads": o.threads = Integer.parseInt(v); break;
                case "--broker-pid": o.brokerPid = Long.parseLong(v); break;
                case "--clock-ticks": o.clockTicks = Integer.parseInt(v); break;
                default: throw new IllegalArgumentException("unknown option: " + name);
            }
        }
        o.validate();
        return o;
    }

    private void validate() {
        if (version != 4 && version != 5) {
            throw new IllegalArgumentException("--version must be 4 or 5");
        }
        if (qos < 0 || qos > 2 || subQos > 2) {
            throw new IllegalArgumentException("--qos must be 0, 1 or 2");
        }
        if (inflight < 1 || inflight > 65535) {
            throw new IllegalArgumentException("--inflight must be 1..65535");
        }
        if (durationSeconds <= 0 || warmupSeconds < 0 || drainSeconds < 0) {
            throw new IllegalArgumentException("--duration must be positive, --warmup and --drain not negative");
        }
        if (size < 0 || threads < 1 || maxPending < 1) {
            throw new IllegalArgumentException("--size, --threads and --max-pending must be positive");
        }
        if (count == -1) {
            count = switch (mode) {
                case "conn" -> 1000;
                case "p2p" -> 100;
                case "latency" -> 16;
                default -> 10;
            };
        }
        if (count < 1 || pubs < 1 || subs < 1) {
            throw new IllegalArgumentException("--count, --pubs and --subs must be at least 1");
        }
        if (mode.equals("latency") && totalRate < 0) {
            totalRate = 10_000;
        }
        if (totalRate > 0) {
            int publishers = mode.equals("fanin") ? pubs : mode.equals("fanout") ? 1 : count;
            rate = totalRate / publishers;
        }
        if (subQos < 0) {
            subQos = qos;
        }
        if (ifaddrs.isEmpty()) {
            ifaddrs = List.of();
        }
    }
}
