package io.aviary.broker.bench;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.aviary.broker.BrokerCore;
import io.aviary.broker.MqttBroker;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.events.EventDispatcher;
import io.aviary.store.internal.RocksStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: QoS 1 throughput with durable sessions, as a ratio to memory mode, in one run.
 * P publishers pipeline QoS 1 messages (256 bytes) to one persistent subscriber (session expiry
 * 1 h, connected, QoS 1); a message counts once its PUBACK reached the publisher and it reached
 * the subscriber. Run with bench/durable-ratio.sh [messages] [publisher counts, e.g. 1,8,16] [window ms].
 */
public final class DurableThroughputBench {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
        String publisherCounts = args.length > 1 ? args[1] : "1,8,16";
        long window = args.length > 2 ? Long.parseLong(args[2]) : 5;
        run(false, messages / 4, 8, window); // warm-up
        run(true, messages / 4, 8, window);
        System.out.printf("QoS 1, %d messages, 1 persistent subscriber, group commit window %d ms%n", messages, window);
        System.out.printf("| publishers | memory mode msg/s | durable mode msg/s | ratio |%n|---|---|---|---|%n");
        for (String p : publisherCounts.split(",")) {
            int publishers = Integer.parseInt(p.trim());
            double memory = run(false, messages, publishers, window);
            double durable = run(true, messages, publishers, window);
            System.out.printf("| %d | %.0f | %.0f | %.2f |%n", publishers, memory, durable, durable / memory);
        }
        System.exit(0);
    }

    private static double run(boolean durable, int messages, int publishers, long window) throws Exception {
        Path dir = Files.createTempDirectory("aviary-bench");
        RocksStore store = durable ? RocksStore.open(dir.resolve("store"), window) : null;
        MqttBroker broker = new MqttBroker(BrokerSettings.of(Map.of("max_mqueue_len", 10_000_000)), new EventDispatcher(), 2,
                store, BrokerCore.Durability.MEMORY).start(List.of(new ListenerSpec("tcp", "b", "127.0.0.1", 0, true, 0)));
        try {
            CountDownLatch received = new CountDownLatch(messages);
            Mqtt5AsyncClient sub = client(broker, "sub");
            sub.publishes(MqttGlobalPublishFilter.ALL, p -> received.countDown());
            sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send().get();
            sub.subscribeWith().topicFilter("bench/#").qos(MqttQos.AT_LEAST_ONCE).send().get();
            List<Mqtt5AsyncClient> pubs = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                Mqtt5AsyncClient c = client(broker, "pub" + p);
                c.connectWith().cleanStart(true).send().get();
                pubs.add(c);
            }
            byte[] payload = new byte[256];
            long begin = System.nanoTime();
            List<CompletableFuture<?>> acks = new ArrayList<>(messages);
            for (int i = 0; i < messages; i++) {
                Mqtt5AsyncClient c = pubs.get(i % publishers);
                acks.add(c.publishWith().topic("bench/" + (i % publishers)).qos(MqttQos.AT_LEAST_ONCE).payload(payload)
                        .send());
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
            if (!received.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("subscriber did not get every message");
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            for (Mqtt5AsyncClient c : pubs) {
                c.disconnect().get();
            }
            sub.disconnect().get();
            return messages / seconds;
        } finally {
            broker.close();
            if (store != null) {
                store.close();
            }
        }
    }

    private static Mqtt5AsyncClient client(MqttBroker broker, String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
    }
}
