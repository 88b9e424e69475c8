package io.aviary.bridge.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A Kafka connector's configuration (EMQX 5's field names) turned into kafka-clients properties
 * shared by the producers, consumers and admin client of the connector: bootstrap hosts,
 * timeouts, SASL (plain / scram) and TLS.
 */
final class ClientSettings {
    final String bootstrapHosts;
    final long connectTimeoutMs;
    final long metadataRequestTimeoutMs;
    final long requestTimeoutMs;
    final boolean allowAutoTopicCreation;
    final String healthCheckTopic;
    private final Properties common = new Properties();

    ClientSettings(ConfigValues config) {
        String hosts = config.text("bootstrap_hosts", "").replace(" ", "");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("bootstrap_hosts: at least one host:port is required");
        }
        for (String hostPort : hosts.split(",")) {
            parseHostPort(hostPort);
        }
        bootstrapHosts = hosts;
        connectTimeoutMs = config.millis("connect_timeout", "5s");
        metadataRequestTimeoutMs = config.millis("metadata_request_timeout", "5s");
        requestTimeoutMs = config.millis("request_timeout", "30s");
        allowAutoTopicCreation = config.bool("allow_auto_topic_creation", false);
        healthCheckTopic = config.text("health_check_topic", null);

        common.put("bootstrap.servers", hosts);
        common.put("socket.connection.setup.timeout.ms", String.valueOf(connectTimeoutMs));
        common.put("socket.connection.setup.timeout.max.ms", String.valueOf(Math.max(connectTimeoutMs, 30_000)));
        common.put("request.timeout.ms", String.valueOf(requestTimeoutMs));
        // a lost broker is retried quickly, but never in a tight loop
        common.put("reconnect.backoff.ms", "200");
        common.put("reconnect.backoff.max.ms", "2000");
        ConfigValues socket = config.object("socket_opts");
        if (socket.has("sndbuf")) {
            common.put("send.buffer.bytes", String.valueOf(socket.bytes("sndbuf", "1MB")));
        }
        if (socket.has("recbuf")) {
            common.put("receive.buffer.bytes", String.valueOf(socket.bytes("recbuf", "1MB")));
        }
        boolean sasl = addAuthentication(config);
        boolean tls = addTls(config.object("ssl"));
        common.put("security.protocol", (sasl ? "SASL_" : "") + (tls ? "SSL" : "PLAINTEXT"));
    }

    /** A copy of the shared properties, to which a producer, consumer or admin client adds its own. */
    Properties properties(String clientId) {
        Properties p = new Properties();
        p.putAll(common);
        p.put("client.id", clientId);
        return p;
    }

    List<InetSocketAddress> bootstrapAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String hostPort : bootstrapHosts.split(",")) {
            out.add(parseHostPort(hostPort));
        }
        return out;
    }

    /**
     * Opens (and closes) a TCP connection to each bootstrap host until one answers, so that a
     * check reports the network's own error ("Connection refused") instead of the client's
     * generic timeout. Returns null when a host answered, otherwise the errors of all of them.
     */
    String probeTcp() {
        List<String> errors = new ArrayList<>();
        for (InetSocketAddress address : bootstrapAddresses()) {
            try (Socket socket = new Socket()) {
                InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
                if (resolved.isUnresolved()) {
                    throw new UnknownHostException("unknown host " + address.getHostString());
                }
                socket.connect(resolved, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs));
                return null;
            } catch (IOException e) {
                errors.add(address.getHostString() + ":" + address.getPort() + ": " + e.getMessage());
            }
        }
        return String.join("; ", errors);
    }

    private static InetSocketAddress parseHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("bootstrap_hosts: expected host:port, got '" + hostPort + "'");
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            return InetSocketAddress.createUnresolved(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bootstrap_hosts: bad port in '" + hostPort + "'");
        }
    }

    private boolean addAuthentication(ConfigValues config) {
        Object auth = config.raw("authentication");
        if (auth == null || "none".equals(auth)) {
            return false;
        }
        ConfigValues a = config.object("authentication");
        String mechanism = a.oneOf("mechanism", null, List.of("plain", "scram_sha_256", "scram_sha_512"));
        String module = mechanism.equals("plain")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        common.put("sasl.mechanism", mechanism.equals("plain") ? "PLAIN"
                : mechanism.toUpperCase(Locale.ROOT).replace('_', '-'));
        common.put("sasl.jaas.config", module + " required username=\"" + jaasQuote(a.text("username", ""))
                + "\" password=\"" + jaasQuote(a.text("password", "")) + "\";");
        return true;
    }

    private static String jaasQuote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** EMQX's ssl options. Files may also be given inline as PEM text, as EMQX's API accepts. */
    private boolean addTls(ConfigValues ssl) {
        if (!ssl.bool("enable", false)) {
            return false;
        }
        String ca = ssl.text("cacertfile", null);
        if (ca != null && !ca.isBlank()) {
            common.put("ssl.truststore.type", "PEM");
            common.put("ssl.truststore.certificates", pem(ssl.field("cacertfile"), ca));
        }
        String cert = ssl.text("certfile", null);
        String key = ssl.text("keyfile", null);
        if (cert != null && !cert.isBlank() && key != null && !key.isBlank()) {
            common.put("ssl.keystore.type", "PEM");
            common.put("ssl.keystore.certificate.chain", pem(ssl.field("certfile"), cert));
            common.put("ssl.keystore.key", pem(ssl.field("keyfile"), key));
            if (ssl.has("password")) {
                common.put("ssl.key.password", ssl.text("password", ""));
            }
        }
        if ("verify_none".equals(ssl.text("verify", "verify_peer"))) {
            // EMQX's verify_none: the server's host name is not checked (the chain still is)
            common.put("ssl.endpoint.identification.algorithm", "");
        }
        if (ssl.has("versions")) {
            List<String> versions = new ArrayList<>();
            for (Object v : (List<?>) ssl.raw("versions")) {
                versions.add(String.valueOf(v).replace("tlsv", "TLSv"));
            }
            common.put("ssl.enabled.protocols", String.join(",", versions));
        }
        if (ssl.has("ciphers")) {
            common.put("ssl.cipher.suites", String.join(",", ((List<?>) ssl.raw("ciphers")).stream().map(String::valueOf).toList()));
        }
        return true;
    }

    private static String pem(String field, String fileOrPem) {
        if (fileOrPem.startsWith("-----BEGIN")) {
            return fileOrPem;
        }
        try {
            return Files.readString(Path.of(fileOrPem), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(field + ": cannot read " + fileOrPem + ": " + e.getMessage());
        }
    }
}
