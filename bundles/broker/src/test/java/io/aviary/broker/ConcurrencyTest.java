package io.aviary.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.aviary.broker.testing.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Rule;
import org.junit.Test;

/** Many publishers and subscribers at once on several event loops: nothing lost, nothing duplicated at QoS 2. */
public class ConcurrencyTest {

    @Rule
    public final TestBroker broker = new TestBroker();

    private Mqtt5AsyncClient client(String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
    }

    @Test
    public void everySubscriberGetsEveryQos1AndQos2MessageExactlyOnce() throws Exception {
        int subscribers = 6;
        int publishers = 4;
        int perPublisher = 250;
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        List<ConcurrentHashMap<String, AtomicInteger>> seen = new ArrayList<>();
        for (int s = 0; s < subscribers; s++) {
            Mqtt5AsyncClient c = client("cs" + s);
            c.connect().get(5, TimeUnit.SECONDS);
            ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
            seen.add(counts);
            MqttQos qos = s % 2 == 0 ? MqttQos.EXACTLY_ONCE : MqttQos.AT_LEAST_ONCE;
            c.subscribeWith().topicFilter("load/#").qos(qos).callback(p ->
                    counts.computeIfAbsent(new String(p.getPayloadAsBytes()), k -> new AtomicInteger()).incrementAndGet())
                    .send().get(5, TimeUnit.SECONDS);
            clients.add(c);
        }
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            Mqtt5AsyncClient c = client("cp" + p);
            c.connect().get(5, TimeUnit.SECONDS);
            clients.add(c);
            for (int i = 0; i < perPublisher; i++) {
                sends.add(c.publishWith().topic("load/" + p).qos(MqttQos.EXACTLY_ONCE)
                        .payload((p + ":" + i).getBytes()).send());
            }
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        int total = publishers * perPublisher;
        for (int s = 0; s < subscribers; s++) {
            ConcurrentHashMap<String, AtomicInteger> counts = seen.get(s);
            await().atMost(Duration.ofSeconds(20)).until(() -> counts.size() == total);
            if (s % 2 == 0) {
                counts.forEach((k, v) -> assertEquals("duplicate at QoS 2: " + k, 1, v.get()));
            }
        }
        for (Mqtt5AsyncClient c : clients) {
            c.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    public void qos1MessagesSurviveRepeatedSessionTakeoversWhilePublishing() throws Exception {
        java.util.Set<String> got = ConcurrentHashMap.newKeySet();
        Mqtt5AsyncClient sub = subscriberWithSession(got);
        sub.subscribeWith().topicFilter("takeover/t").qos(MqttQos.AT_LEAST_ONCE).send().get(5, TimeUnit.SECONDS);
        Mqtt5AsyncClient pub = client("tpub");
        pub.connect().get(5, TimeUnit.SECONDS);
        int total = 1500;
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            sends.add(pub.publishWith().topic("takeover/t").qos(MqttQos.AT_LEAST_ONCE).payload(("m" + i).getBytes()).send());
            if (i % 100 == 50) {
                subscriberWithSession(got); // takes the session over from the previous instance
            }
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        Mqtt5AsyncClient last = subscriberWithSession(got);
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == total);
        last.disconnect().get(5, TimeUnit.SECONDS);
        pub.disconnect().get(5, TimeUnit.SECONDS);
    }

    private Mqtt5AsyncClient subscriberWithSession(java.util.Set<String> got) throws Exception {
        Mqtt5AsyncClient c = client("tsub");
        c.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, p -> got.add(new String(p.getPayloadAsBytes())));
        c.connectWith().cleanStart(false).sessionExpiryInterval(60).send().get(5, TimeUnit.SECONDS);
        return c;
    }

    @Test
    public void sharedSubscriptionLosesNothingWhileMembersComeAndGo() throws Exception {
        java.util.Set<String> got = ConcurrentHashMap.newKeySet();
        List<Mqtt5AsyncClient> members = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            members.add(sharedMember("m" + m, got));
        }
        Mqtt5AsyncClient pub = client("spub");
        pub.connect().get(5, TimeUnit.SECONDS);
        int total = 1500;
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            sends.add(pub.publishWith().topic("jobs/t").qos(MqttQos.AT_LEAST_ONCE).payload(("j" + i).getBytes()).send());
            if (i % 300 == 150) {
                members.remove(0).disconnect();
                members.add(sharedMember("m" + (i + 3), got));
            }
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == total);
        for (Mqtt5AsyncClient m : members) {
            m.disconnect().get(5, TimeUnit.SECONDS);
        }
        pub.disconnect().get(5, TimeUnit.SECONDS);
    }

    private Mqtt5AsyncClient sharedMember(String id, java.util.Set<String> got) throws Exception {
        Mqtt5AsyncClient c = client(id);
        c.connect().get(5, TimeUnit.SECONDS);
        c.subscribeWith().topicFilter("$share/workers/jobs/t").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> got.add(new String(p.getPayloadAsBytes()))).send().get(5, TimeUnit.SECONDS);
        return c;
    }
}
