package io.aviary.bridge.mqtt;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32C;

/**
 * Keeps two bridged brokers from bouncing messages between them forever (a rule sends local topic t
 * to the remote topic t, and a source brings the remote topic t back to the local t). One guard per
 * tenant, shared by all of its mqtt connectors, keyed by remote server, so it works whichever
 * connectors the actions and sources use. Two directions:
 * <ul>
 * <li><b>Echo</b>: a message this bridge published to the remote broker comes back through a source.
 *   Under MQTT 5 every message the bridge publishes carries the user property
 *   {@value #MARKER_PROPERTY} = this tenant's random marker, and a source drops messages carrying
 *   it (after acknowledging them). Under MQTT 3.1/3.1.1, which have no properties, the bridge
 *   remembers (topic, payload hash) of what it published to topics a source of the same server
 *   subscribes to, and the source drops one matching arrival per remembered publish.</li>
 * <li><b>Bounce</b>: a message that came in from the remote broker is sent straight back to it by an
 *   action. The source remembers (topic, payload hash) of what it handed over, and an action
 *   publishing the same payload to the same topic of the same server within {@link #TTL_MS} skips it
 *   once.</li>
 * </ul>
 * Entries expire after {@link #TTL_MS} and each table holds at most {@link #MAX_ENTRIES}; if a
 * bounce is delayed past that (a long outage), the message reaches the remote broker once more and
 * the echo rule stops it there, so a loop can never run forever.
 */
final class LoopGuard {
    static final String MARKER_PROPERTY = "aviary-bridge";
    static final long TTL_MS = 30_000;
    static final int MAX_ENTRIES = 50_000;

    private final String marker = UUID.randomUUID().toString();
    private final Map<String, Server> servers = new ConcurrentHashMap<>();

    /** Remembered messages of one direction: key -> how many, oldest first. */
    private static final class EchoTable {
        private static final class Count {
            int n;
            long expires;
        }

        private final LinkedHashMap<String, Count> entries = new LinkedHashMap<>();

        synchronized void add(String key, long now) {
            expire(now);
            Count c = entries.remove(key); // re-inserted at the end: it is the newest
            if (c == null) {
                c = new Count();
                if (entries.size() >= MAX_ENTRIES) {
                    Iterator<Count> oldest = entries.values().iterator();
                    oldest.next();
                    oldest.remove();
                }
            }
            c.n++;
            c.expires = now + TTL_MS;
            entries.put(key, c);
        }

        synchronized boolean consume(String key, long now) {
            if (entries.isEmpty()) {
                return false;
            }
            expire(now);
            Count c = entries.get(key);
            if (c == null) {
                return false;
            }
            if (--c.n == 0) {
                entries.remove(key);
            }
            return true;
        }

        synchronized boolean isEmpty() {
            return entries.isEmpty();
        }

        private void expire(long now) {
            Iterator<Count> it = entries.values().iterator();
            while (it.hasNext() && it.next().expires <= now) {
                it.remove();
            }
        }
    }

    private static final class Server {
        final EchoTable published = new EchoTable();
        final EchoTable received = new EchoTable();
        final List<String> sourceFilters = new CopyOnWriteArrayList<>();
    }

    private Server server(String server) {
        return servers.computeIfAbsent(server, s -> new Server());
    }

    /** The MQTT 5 user property the bridge's publishes carry. */
    Map.Entry<String, String> markerProperty() {
        return Map.entry(MARKER_PROPERTY, marker);
    }

    void sourceStarted(String server, String filter) {
        server(server).sourceFilters.add(filter);
    }

    void sourceStopped(String server, String filter) {
        server(server).sourceFilters.remove(filter);
    }

    /** An action published this (MQTT 3.1/3.1.1): remember it when a source may see it come back. */
    void published(String server, String topic, byte[] payload) {
        Server s = server(server);
        for (String f : s.sourceFilters) {
            if (TopicFilters.matches(f, topic)) {
                s.published.add(key(topic, payload), System.currentTimeMillis());
                return;
            }
        }
    }

    /** A remembered publish did not go out after all (it failed, and is retried as a new one). */
    void publishFailed(String server, String topic, byte[] payload) {
        Server s = servers.get(server);
        if (s != null && !s.published.isEmpty()) {
            s.published.consume(key(topic, payload), System.currentTimeMillis());
        }
    }

    /** A source received this: is it the echo of the bridge's own publish? */
    boolean isEcho(String server, String topic, byte[] payload, List<Map.Entry<String, String>> userProperties,
            boolean mqtt5) {
        if (mqtt5) {
            for (Map.Entry<String, String> p : userProperties) {
                if (p.getKey().equals(MARKER_PROPERTY) && p.getValue().equals(marker)) {
                    return true;
                }
            }
        }
        Server s = servers.get(server);
        return s != null && !s.published.isEmpty() && s.published.consume(key(topic, payload), System.currentTimeMillis());
    }

    /** A source handed this over to the local broker. */
    void received(String server, String topic, byte[] payload) {
        server(server).received.add(key(topic, payload), System.currentTimeMillis());
    }

    /** An action is about to publish this: did it just come in from the same remote broker? */
    boolean isBounce(String server, String topic, byte[] payload) {
        Server s = servers.get(server);
        return s != null && !s.received.isEmpty() && s.received.consume(key(topic, payload), System.currentTimeMillis());
    }

    /** Tests: the servers with remembered entries. */
    Set<String> servers() {
        return servers.keySet();
    }

    private static String key(String topic, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        long h = (crc.getValue() << 32) ^ (java.util.Arrays.hashCode(payload) & 0xFFFFFFFFL);
        return topic + '\u0000' + payload.length + ':' + Long.toHexString(h);
    }
}
