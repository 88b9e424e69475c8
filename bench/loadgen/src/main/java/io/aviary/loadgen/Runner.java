package io.aviary.loadgen;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import org.HdrHistogram.Histogram;

/**
 * One run of a mode: plans the clients, connects subscribers, then publishers, warms up, measures,
 * drains outstanding acknowledgements and deliveries, disconnects, and returns the Result. Each
 * phase has a bound, so the run ends whatever the broker does.
 */
public final class Runner {
    private final Options o;
    private final PrintStream log;
    private final Stats stats = new Stats();
    private final String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    private final List<Client> subscribers = new ArrayList<>();
    private final List<Client> publishers = new ArrayList<>();
    private final List<Client> idle = new ArrayList<>();
    private final AtomicInteger settled = new AtomicInteger();
    private volatile long lastReadyNanos;
    private final AtomicInteger failuresLogged = new AtomicInteger();
    private Runnable onReady = () -> { };

    public Runner(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    /** Called once every client is connected (and subscribed), before the publishers start. */
    public Runner onReady(Runnable callback) {
        this.onReady = callback;
        return this;
    }

    public Result run() throws Exception {
        plan();
        BrokerProcess broker = o.brokerPid > 0 ? new BrokerProcess(o.brokerPid, o.clockTicks) : null;
        BrokerProcess self = new BrokerProcess(ProcessHandle.current().pid(), o.clockTicks);
        Result r = new Result(o);
        r.rssKbBefore = broker == null ? -1 : broker.rssKb();
        try (Transport transport = new Transport(o); Reporter reporter = new Reporter(stats, log, o.quiet)) {
            r.transport = transport.name;
            ScheduledFuture<?> pinger = o.keepAlive > 0 ? transport.group().next().scheduleAtFixedRate(
                    this::pingAll, o.keepAlive / 2L, Math.max(1, o.keepAlive / 2L), TimeUnit.SECONDS) : null;
            List<ScheduledFuture<?>> pacers = new ArrayList<>();
            try {
                if (!idle.isEmpty()) {
                    measureConnections(transport, reporter, broker, self, r);
                } else {
                    measureMessages(transport, reporter, broker, self, r, pacers);
                }
            } finally {
                pacers.forEach(p -> p.cancel(false));
                if (pinger != null) {
                    pinger.cancel(false);
                }
                reporter.phase("close");
                disconnectAll();
            }
        }
        // The event loops have stopped: every client's own counter is final and visible here.
        r.totals(stats.snapshot(), expectedReceived(), minReceivedPerSubscriber(), publishers.size(), subscribers.size(),
                idle.size() + publishers.size() + subscribers.size());
        return r;
    }

    /** conn mode: warm up, then open every connection (the measured phase), then hold them. */
    private void measureConnections(Transport transport, Reporter reporter, BrokerProcess broker, BrokerProcess self,
                                    Result r) throws InterruptedException {
        reporter.phase("warm-up");
        warmUpConnections(transport);
        reporter.phase("connect");
        r.rssKbBefore = broker == null ? -1 : broker.rssKb(); // the warm-up's connections are closed
        long connected0 = stats.connected.sum();
        long failed0 = stats.connFailed.sum();
        long cpu0 = broker == null ? -1 : broker.cpuMicros();
        long self0 = self.cpuMicros();
        long t0 = System.nanoTime();
        Thread halfway = broker == null ? null : rssAtHalfway(broker, connected0, idle.size(), r);
        connectAll(transport, idle);
        if (halfway != null) {
            halfway.interrupt();
        }
        onReady.run();
        r.connectSeconds = Math.max(1e-9, (lastReadyNanos - t0) / 1e9);
        r.generator(self.cpuMicros() - self0, (System.nanoTime() - t0) / 1e9);
        long connected = stats.connected.sum() - connected0;
        r.connRate = connected / r.connectSeconds;
        r.warmupConnections(connected0, failed0);
        if (broker != null && connected > 0) {
            r.brokerCpuMicros = broker.cpuMicros() - cpu0;
            r.brokerCpuMicrosPerUnit = (double) r.brokerCpuMicros / connected;
        }
        reporter.phase("hold");
        if (connected > 0) {
            sleep(o.durationSeconds);
        }
        r.rssKbAfter = broker == null ? -1 : broker.rssKb();
    }

    /**
     * Reads the broker's RSS once half of the connections are up, so that the growth of the second
     * half (after the first has paid for one-time costs: code compiled, pools and heap regions
     * touched) can be told apart from the whole run's.
     */
    private Thread rssAtHalfway(BrokerProcess broker, long connected0, int count, Result r) {
        Thread t = new Thread(() -> {
            long half = connected0 + count / 2;
            while (!Thread.currentThread().isInterrupted()) {
                long now = stats.connected.sum();
                if (now >= half) {
                    r.rssKbHalfway = broker.rssKb();
                    r.connectedHalfway = now - connected0;
                    return;
                }
                // 5 ms: the generator shares the cores with the broker; the count is read with the RSS
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
        }, "loadgen-rss-halfway");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Message modes: subscribers, then publishers; warm-up, the measured window, then the drain. */
    private void measureMessages(Transport transport, Reporter reporter, BrokerProcess broker, BrokerProcess self,
                                 Result r, List<ScheduledFuture<?>> pacers) throws InterruptedException {
        connectAll(transport, subscribers);
        connectAll(transport, publishers);
        onReady.run();
        startPublishers(pacers);
        reporter.phase("warm-up");
        sleep(o.warmupSeconds);
        Stats.Snapshot begin = stats.snapshot();
        long cpu0 = broker == null ? -1 : broker.cpuMicros();
        long self0 = self.cpuMicros();
        reporter.beginMeasure();
        sleep(o.durationSeconds);
        Stats.Snapshot end = stats.snapshot();
        long cpu1 = broker == null ? -1 : broker.cpuMicros();
        r.generator(self.cpuMicros() - self0, (end.nanoTime() - begin.nanoTime()) / 1e9);
        Histogram latency = reporter.endMeasure();
        r.rssKbAfter = broker == null ? -1 : broker.rssKb();
        r.window(begin, end, latency);
        if (broker != null) {
            r.brokerCpuMicros = cpu1 - cpu0;
            // per delivered message; per publish when nothing subscribes (pub mode)
            long messages = subscribers.isEmpty() ? end.sent() - begin.sent() : end.received() - begin.received();
            r.brokerCpuMicrosPerUnit = messages > 0 ? (double) r.brokerCpuMicros / messages : -1;
        }
        reporter.phase("drain");
        stopPublishers();
        drain();
    }

    /** The clients of the mode, with their topics. Scenario topics carry a run id so runs never mix. */
    private void plan() {
        String base = "lg/" + run + "/" + o.mode;
        switch (o.mode) {
            case "conn" -> {
                for (int i = 0; i < o.count; i++) {
                    idle.add(client(i, "c", null, null));
                }
            }
            case "sub" -> {
                for (int i = 0; i < o.count; i++) {
                    subscribers.add(client(i, "s", topic(o.topic == null ? "t/%i" : o.topic, i), null));
                }
            }
            case "pub" -> {
                for (int i = 0; i < o.count; i++) {
                    publishers.add(client(i, "p", null, topic(o.topic == null ? "t/%i" : o.topic, i)));
                }
            }
            case "fanin" -> {
                subscribers.add(client(0, "s", base + "/+", null));
                for (int i = 0; i < o.pubs; i++) {
                    publishers.add(client(i, "p", null, base + "/" + i));
                }
            }
            case "fanout" -> {
                for (int i = 0; i < o.subs; i++) {
                    subscribers.add(client(i, "s", base, null));
                }
                publishers.add(client(0, "p", null, base));
            }
            case "p2p", "latency" -> {
                for (int i = 0; i < o.count; i++) {
                    subscribers.add(client(i, "s", base + "/" + i, null));
                    publishers.add(client(i, "p", null, base + "/" + i));
                }
            }
            default -> throw new IllegalArgumentException(o.mode);
        }
    }

    private static String topic(String template, int i) {
        return template.replace("%i", Integer.toString(i));
    }

    private Client client(int i, String role, String subscribeTo, String publishTo) {
        Publisher publisher = publishTo == null ? null : new Publisher(publishTo, o.qos, o.size, o.rate, o.inflight, stats);
        return new Client(i, "lg" + run + role + i, o, stats, listener, subscribeTo, publisher);
    }

    private final Client.Listener listener = new Client.Listener() {
        @Override
        public void ready(Client client) {
            lastReadyNanos = System.nanoTime();
            client.pacer.settled();
            settled.incrementAndGet();
        }

        @Override
        public void failed(Client client, String reason) {
            settled.incrementAndGet();
            client.pacer.settled();
            if (failuresLogged.incrementAndGet() <= 5) {
                log.println("[loadgen] " + client.clientId + " failed: " + reason);
            }
        }
    };

    /**
     * Opens the clients at the connection rate, with at most maxPending awaiting their CONNACK
     * (SUBACK), and waits until each is ready or failed, or the connect timeout passes. Each event
     * loop opens its share of the clients itself (ConnectPacer), so connecting scales with the loops.
     */
    private void connectAll(Transport transport, List<Client> clients) {
        if (clients.isEmpty()) {
            return;
        }
        int base = settled.get();
        long deadline = System.nanoTime() + (long) (o.connectTimeoutSeconds * 1e9);
        List<EventLoop> loops = new ArrayList<>();
        boolean subscriberSide = clients.get(0).isSubscriber();
        loops.addAll(transport.loops(subscriberSide));
        if (!subscriberSide && clients.get(0).publisher == null) { // plain connections: every loop
            loops.addAll(transport.loops(true));
        }
        List<ConnectPacer> pacers = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            List<Client> share = new ArrayList<>();
            for (int k = i; k < clients.size(); k += loops.size()) {
                share.add(clients.get(k));
            }
            ConnectPacer pacer = new ConnectPacer(transport, loops.get(i), share, o.connRate / (double) loops.size(),
                    Math.max(1, o.maxPending / loops.size()));
            share.forEach(c -> c.pacer = pacer);
            pacers.add(pacer);
        }
        pacers.forEach(ConnectPacer::start);
        while (settled.get() - base < clients.size() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        pacers.forEach(ConnectPacer::stop);
        int unsettled = clients.size() - (settled.get() - base);
        if (unsettled > 0) {
            log.println("[loadgen] " + unsettled + " of " + clients.size() + " clients not ready within --connect-timeout");
            stats.connFailed.add(unsettled);
        }
    }

    /**
     * conn mode's warm-up: batches of throw-away connections opened and closed for --warmup
     * seconds, so that neither the generator's nor a JVM broker's JIT compiler runs during the
     * measured connect phase. Their client ids differ from the measured ones.
     */
    private void warmUpConnections(Transport transport) {
        long end = System.nanoTime() + (long) (o.warmupSeconds * 1e9);
        int batch = Math.min(o.count, 500);
        for (int round = 0; System.nanoTime() < end; round++) {
            List<Client> warm = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                warm.add(client(i, "w" + round + "-", null, null));
            }
            connectAll(transport, warm);
            disconnect(warm);
        }
    }

    /** Each event loop paces its own publishers every millisecond, so no lock is ever taken. */
    private void startPublishers(List<ScheduledFuture<?>> pacers) {
        Map<EventLoop, List<Client>> byLoop = new IdentityHashMap<>();
        for (Client c : publishers) {
            if (Transport.isOpen(c.channel)) {
                byLoop.computeIfAbsent(c.channel.eventLoop(), k -> new ArrayList<>()).add(c);
            }
        }
        byLoop.forEach((loop, clients) -> {
            loop.execute(() -> clients.forEach(c -> c.publisher.start()));
            pacers.add(loop.scheduleAtFixedRate(() -> {
                for (Client c : clients) {
                    c.publisher.pump(c.channel);
                }
            }, 1, 1, TimeUnit.MILLISECONDS));
        });
    }

    private void stopPublishers() {
        for (Client c : publishers) {
            if (c.channel != null) {
                c.channel.eventLoop().execute(c.publisher::stop);
            }
        }
    }

    /** Waits (bounded) for acknowledgements of what was sent and for the deliveries still on their way. */
    private void drain() {
        long deadline = System.nanoTime() + (long) (o.drainSeconds * 1e9);
        long lastReceived = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long received = stats.received.sum();
            boolean acksDone = o.qos == 0 || stats.acked.sum() + stats.errors.sum() >= stats.sent.sum();
            long expected = expectedReceived();
            boolean deliveriesDone = expected < 0 || received >= expected;
            if (acksDone && deliveriesDone) {
                return;
            }
            if (received != lastReceived) {
                lastReceived = received;
                lastChange = System.nanoTime();
            } else if (acksDone && o.qos == 0 && System.nanoTime() - lastChange > 500_000_000L) {
                return; // nothing more arrives (QoS 0 drops): stop waiting
            }
            // QoS 1/2: an acknowledged message is owed however long the broker pauses, so the wait is
            // --drain: a pause of half a second at the end (a GC, another flow's disconnects) is no loss
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** Deliveries expected for what was sent, when the mode knows it (scenarios); -1 otherwise. */
    private long expectedReceived() {
        long sent = stats.sent.sum();
        return switch (o.mode) {
            case "fanin", "p2p", "latency" -> sent;
            case "fanout" -> sent * subscribers.size();
            default -> -1;
        };
    }

    private long minReceivedPerSubscriber() {
        return subscribers.stream().mapToLong(c -> c.received).min().orElse(-1);
    }

    private void pingAll() {
        for (List<Client> list : List.of(idle, subscribers, publishers)) {
            for (Client c : list) {
                if (c.channel != null) {
                    c.channel.eventLoop().execute(c::ping);
                }
            }
        }
    }

    private void disconnectAll() {
        List<Client> all = new ArrayList<>(publishers);
        all.addAll(subscribers);
        all.addAll(idle);
        disconnect(all);
    }

    /** DISCONNECT these clients, wait (bounded) for the broker to close, then close what is left. */
    private void disconnect(List<Client> clients) {
        List<Client> all = new ArrayList<>();
        for (Client c : clients) {
            if (c.channel != null) {
                c.disconnect();
                all.add(c);
            }
        }
        // The broker closes after DISCONNECT; one still reading a backlog gets at most this long.
        double closeSeconds = Math.max(1, Math.min(5, o.drainSeconds));
        long deadline = System.nanoTime() + (long) (closeSeconds * 1e9);
        for (Client c : all) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !c.channel.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                break;
            }
        }
        all.forEach(c -> c.channel.close());
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }
}
