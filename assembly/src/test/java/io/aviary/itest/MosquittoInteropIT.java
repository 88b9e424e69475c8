package io.aviary.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Interoperability with the Mosquitto command-line clients (Debian mosquitto-clients, which
 * scripts/setup.sh installs): QoS 0, 1 and 2, retained messages and wills, under MQTT 3.1.1
 * and 5 (and MQTT 3.1, protocol name MQIsdp), against the running distribution.
 */
public class MosquittoInteropIT {
    private static Distribution dist;

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start().awaitApi();
    }

    @AfterClass
    public static void stop() throws Exception {
        dist.close();
    }

    private static Process client(String tool, String version, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", String.valueOf(dist.mqttPort), "-V", version));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(false).start();
    }

    private static String finish(Process p) throws Exception {
        assertTrue("mosquitto client finished", p.waitFor(15, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("exit code; stderr: " + err, 0, p.exitValue());
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Starts a subscriber and waits until the broker holds its subscription (seen through the admin API). */
    private static Process subscriber(String version, int qos, String topic, int count) throws Exception {
        String id = "sub-" + Integer.toHexString(topic.hashCode());
        Process sub = client("mosquitto_sub", version, "-q", String.valueOf(qos), "-t", topic, "-C", String.valueOf(count),
                "-W", "15", "-v", "-i", id);
        org.awaitility.Awaitility.await("subscription of " + id).atMost(java.time.Duration.ofSeconds(10))
                .ignoreExceptions().until(() -> dist.get("/clients/" + id).body().contains("\"subscriptions_cnt\":1"));
        return sub;
    }

    private void exchange(String version, int qos) throws Exception {
        String topic = "interop/" + version + "/q" + qos;
        Process sub = subscriber(version, qos, topic, 1);
        finish(client("mosquitto_pub", version, "-q", String.valueOf(qos), "-t", topic, "-m", "hello " + qos));
        assertEquals(topic + " hello " + qos + "\n", finish(sub));
    }

    @Test
    public void qos0Mqtt311() throws Exception {
        exchange("mqttv311", 0);
    }

    @Test
    public void qos1Mqtt311() throws Exception {
        exchange("mqttv311", 1);
    }

    @Test
    public void qos2Mqtt311() throws Exception {
        exchange("mqttv311", 2);
    }

    @Test
    public void qos0Mqtt31() throws Exception {
        exchange("mqttv31", 0);
    }

    @Test
    public void qos1Mqtt31() throws Exception {
        exchange("mqttv31", 1);
    }

    @Test
    public void qos2Mqtt31() throws Exception {
        exchange("mqttv31", 2);
    }

    @Test
    public void messagesCrossProtocolVersionsAtTheLowerQos() throws Exception {
        String topic = "interop/cross";
        Process sub = subscriber("mqttv5", 2, topic, 1);
        finish(client("mosquitto_pub", "mqttv31", "-q", "2", "-t", topic, "-m", "from 3.1"));
        assertEquals(topic + " from 3.1\n", finish(sub));
        Process sub31 = subscriber("mqttv31", 1, topic + "/31", 1);
        finish(client("mosquitto_pub", "mqttv5", "-q", "2", "-t", topic + "/31", "-m", "from 5"));
        assertEquals(topic + "/31 from 5\n", finish(sub31));
    }

    @Test
    public void qos0Mqtt5() throws Exception {
        exchange("mqttv5", 0);
    }

    @Test
    public void qos1Mqtt5() throws Exception {
        exchange("mqttv5", 1);
    }

    @Test
    public void qos2Mqtt5() throws Exception {
        exchange("mqttv5", 2);
    }

    @Test
    public void retainedMessageReachesALaterSubscriberUnderEveryVersion() throws Exception {
        finish(client("mosquitto_pub", "mqttv5", "-q", "1", "-r", "-t", "interop/retained", "-m", "kept"));
        for (String version : List.of("mqttv31", "mqttv311", "mqttv5")) {
            String out = finish(client("mosquitto_sub", version, "-t", "interop/retained", "-C", "1", "-W", "10", "-v"));
            assertEquals(version, "interop/retained kept\n", out);
        }
        finish(client("mosquitto_pub", "mqttv311", "-q", "1", "-r", "-n", "-t", "interop/retained"));
    }

    @Test
    public void willIsPublishedWhenTheClientDiesUnderEveryVersion() throws Exception {
        for (String version : List.of("mqttv31", "mqttv311", "mqttv5")) {
            String topic = "interop/will/" + version;
            Process sub = subscriber("mqttv5", 1, topic, 1);
            // A subscriber with a will, killed without DISCONNECT: the broker must publish the will.
            Process dying = client("mosquitto_sub", version, "-t", "interop/nothing", "-k", "60", "-i", "dying-" + version,
                    "--will-topic", topic, "--will-payload", "gone", "--will-qos", "1");
            org.awaitility.Awaitility.await("dying client connected").atMost(java.time.Duration.ofSeconds(10))
                    .ignoreExceptions().until(() -> dist.get("/clients/dying-" + version).statusCode() == 200);
            dying.destroyForcibly().waitFor();
            assertEquals(topic + " gone\n", finish(sub));
        }
    }
}
