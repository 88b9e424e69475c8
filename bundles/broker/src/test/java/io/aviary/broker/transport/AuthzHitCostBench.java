package io.aviary.broker.transport;

import io.aviary.api.auth.Action;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.BrokerCore;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.events.EventDispatcher;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.Executors;
import org.junit.Test;

/**
 * Not a test (surefire runs it only when named): the cost of a cached authorization answer on the
 * PUBLISH path, bytes allocated (ThreadMXBean) and nanoseconds per hit, beside the cost of the
 * clock read the TTL check adds. Run: mvn -B -o -q verify -pl bundles/broker -am
 * -Dtest=AuthzHitCostBench -Dsurefire.failIfNoSpecifiedTests=false (output in surefire-reports).
 */
public class AuthzHitCostBench {
    static volatile Object sink;

    @Test
    public void measure() throws Exception {
        BrokerCore core = new BrokerCore(BrokerSettings.defaults(), new EventDispatcher(), Executors.newScheduledThreadPool(1));
        ClientInfo client = new ClientInfo("default", "dev", "u", null, "mqtt", 5, "tcp:default", null, null, null);
        InboundGate gate = new InboundGate(o -> { });
        ChannelHandlerContext[] ctx = new ChannelHandlerContext[1];
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext c) {
                ctx[0] = c;
            }
        });
        gate.bind(ctx[0]);
        Authorization now = new Authorization(core, client, gate);
        String topic = "sensors/plant-7/line-3/temperature";
        now.check(Action.PUBLISH, topic, 1, false, d -> sink = d);
        ch.runPendingTasks();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        java.util.function.Consumer<io.aviary.api.auth.Decision> then = d -> sink = d;
        for (int round = 0; round < 12; round++) {
            int n = 2_000_000;
            long t1 = System.nanoTime();
            long a1 = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < n; i++) {
                now.check(Action.PUBLISH, topic, 1, false, then);
            }
            long t2 = System.nanoTime();
            long a2 = mx.getThreadAllocatedBytes(tid);
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += System.nanoTime();
            }
            long t3 = System.nanoTime();
            sink = sum;
            for (int i = 0; i < n; i++) {
                sink = now.settings();
            }
            long t4 = System.nanoTime();
            System.out.printf("nanoTime %.1f ns, settings() %.1f ns; ", (t3 - t2) / (double) n, (t4 - t3) / (double) n);
            System.out.printf("round %d: %.1f ns %.1f B per cached hit%n", round, (t2 - t1) / (double) n,
                    (a2 - a1) / (double) n);
        }
    }
}
