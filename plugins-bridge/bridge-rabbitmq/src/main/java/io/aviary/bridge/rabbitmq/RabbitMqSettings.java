package io.aviary.bridge.rabbitmq;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;
import io.aviary.plugin.client.ClientTls;
import io.aviary.plugin.client.ConfigValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A rabbitmq connector's configuration with EMQX 5's field names and defaults (server/servers,
 * port 5672, username, password, pool_size 8, timeout 5s, virtual_host "/", heartbeat 30s, ssl).
 */
record RabbitMqSettings(List<Address> addresses, String username, String password, int poolSize, Duration timeout,
        String virtualHost, Duration heartbeat, ClientTls tls) {

    static RabbitMqSettings from(Map<String, Object> config) {
        int port = ConfigValues.integer(config, "port", 5672);
        String servers = ConfigValues.string(config, "server", ConfigValues.string(config, "servers", "localhost"));
        return new RabbitMqSettings(addresses(servers, port), ConfigValues.string(config, "username", "guest"),
                ConfigValues.string(config, "password", ""), ConfigValues.integer(config, "pool_size", 8),
                ConfigValues.duration(config, "timeout", Duration.ofSeconds(5)),
                ConfigValues.string(config, "virtual_host", "/"),
                ConfigValues.duration(config, "heartbeat", Duration.ofSeconds(30)),
                ClientTls.from(ConfigValues.object(config, "ssl")));
    }

    /** "host", "host:port" or several of them separated by commas; a bracketed IPv6 literal keeps its colons. */
    static List<Address> addresses(String servers, int defaultPort) {
        List<Address> out = new ArrayList<>();
        for (String s : servers.split(",")) {
            String one = s.trim();
            if (one.isEmpty()) {
                continue;
            }
            int colon = one.lastIndexOf(':');
            boolean hasPort = colon > 0 && one.indexOf(']', colon) < 0 && (one.indexOf(':') == colon || one.startsWith("["));
            try {
                out.add(hasPort ? new Address(one.substring(0, colon), Integer.parseInt(one.substring(colon + 1)))
                        : new Address(one, defaultPort));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field 'server': bad port in '" + one + "'");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("field 'server' names no host");
        }
        return out;
    }

    /** The client's connection factory: no automatic recovery (the sink reconnects on its next batch, paced by the runtime's backoff). */
    ConnectionFactory factory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setUsername(username);
        f.setPassword(password);
        f.setVirtualHost(virtualHost);
        f.setConnectionTimeout((int) timeout.toMillis());
        f.setHandshakeTimeout((int) timeout.toMillis());
        f.setShutdownTimeout((int) Math.min(timeout.toMillis(), 2000));
        f.setRequestedHeartbeat((int) heartbeat.toSeconds());
        f.setAutomaticRecoveryEnabled(false);
        f.setTopologyRecoveryEnabled(false);
        if (tls != null) {
            f.useSslProtocol(tls.context());
            if (tls.verifyPeer()) {
                f.enableHostnameVerification();
            }
        }
        return f;
    }

    String describeServers() {
        return addresses.toString();
    }
}
