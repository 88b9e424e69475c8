package io.aviary.bridge.mqtt;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.Source;
import io.aviary.api.integration.SourceContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mqtt connector: a pool of pool_size egress clients that its actions publish through (round
 * robin over the connected ones, each with its own max_inflight window), and the factory of its
 * sources, each of which gets a client of its own so that its subscription and acknowledgements
 * follow its own connection. Client ids are {@code <clientid_prefix><name>:<tenant hash>:egress:<n>}
 * and {@code ...:ingress:<source name>}: stable across restarts (so clean_start=false sessions
 * resume), distinct per tenant, and recognisable on the remote broker.
 */
final class MqttConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnector.class);
    /** check() waits this long for a connect attempt under way, so the probe reports its outcome. */
    private static final long CHECK_WAIT_MS = 4_000;

    private final ConnectorContext context;
    private final ConnectorSettings settings;
    private final LoopGuard guard;
    private final String logPrefix;
    private final String clientIdBase;
    private final List<RemoteSession> egress = new ArrayList<>();
    private final List<InflightGate> gates = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    MqttConnector(ConnectorContext context, ConnectorSettings settings, LoopGuard guard) {
        this.context = context;
        this.settings = settings;
        this.guard = guard;
        this.logPrefix = "bridge-mqtt: tenant=" + context.tenant() + " connector=" + context.connectorId();
        String name = context.connectorId().substring(context.connectorId().indexOf(':') + 1);
        this.clientIdBase = settings.clientidPrefix() + name + ":" + tenantHash(context.tenant());
        for (int i = 1; i <= settings.poolSize(); i++) {
            String clientId = clientIdBase + ":egress:" + i;
            egress.add(new RemoteSession(logPrefix, clientId, context.scheduler(), l -> newClient(clientId, l),
                    ignoredInbound(), c -> CompletableFuture.completedFuture(null)));
            gates.add(new InflightGate(settings.maxInflight()));
        }
        egress.forEach(RemoteSession::start);
        LOG.info("{} opened: {} {} pool_size={}", logPrefix, settings.uri(), settings.protoVer(), settings.poolSize());
    }

    private static String tenantHash(String tenant) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(tenant.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    RemoteClient newClient(String clientId, RemoteClient.Listener listener) {
        return settings.mqtt5() ? new PahoV5Client(settings, clientId, listener)
                : new PahoV3Client(settings, clientId, listener);
    }

    private RemoteClient.Listener ignoredInbound() {
        return new RemoteClient.Listener() {
            @Override
            public void arrived(RemoteClient.Incoming message) {
                // egress clients subscribe to nothing
            }

            @Override
            public void lost(Throwable cause) {
            }
        };
    }

    ConnectorSettings settings() {
        return settings;
    }

    LoopGuard guard() {
        return guard;
    }

    String logPrefix() {
        return logPrefix;
    }

    String clientIdBase() {
        return clientIdBase;
    }

    ConnectorContext context() {
        return context;
    }

    /** A connected egress client and its inflight gate, round robin; null when none is connected. */
    int pick() {
        int n = egress.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            int k = (start + i) % n;
            if (egress.get(k).ready()) {
                return k;
            }
        }
        return -1;
    }

    RemoteSession session(int k) {
        return egress.get(k);
    }

    InflightGate gate(int k) {
        return gates.get(k);
    }

    /** Why nothing can be published right now, in the remote broker's (or the socket's) words. */
    String notConnectedReason() {
        for (RemoteSession s : egress) {
            if (s.lastError() != null) {
                return "not connected to " + settings.server() + ": " + s.lastError();
            }
        }
        return "not connected to " + settings.server() + " yet";
    }

    @Override
    public CompletionStage<Health> check() {
        List<CompletableFuture<Void>> attempts = new ArrayList<>();
        for (RemoteSession s : egress) {
            if (!s.ready()) {
                attempts.add(s.attempt().exceptionally(e -> null));
            }
        }
        if (attempts.isEmpty()) {
            return CompletableFuture.completedFuture(Health.connected());
        }
        return CompletableFuture.allOf(attempts.toArray(new CompletableFuture[0]))
                .completeOnTimeout(null, CHECK_WAIT_MS, TimeUnit.MILLISECONDS)
                .thenApply(v -> health());
    }

    /** EMQX's rule: disconnected wins over connecting, which wins over connected. */
    private Health health() {
        Health worst = Health.connected();
        for (RemoteSession s : egress) {
            Health h = s.health();
            if (h.status().ordinal() > worst.status().ordinal()) {
                worst = h;
            }
        }
        return worst;
    }

    @Override
    public Sink sink(String actionId, Map<String, Object> parameters) {
        return new MqttSink(this, actionId, parameters);
    }

    @Override
    public Source source(String sourceId, Map<String, Object> parameters, SourceContext sourceContext) {
        return new MqttSource(this, sourceId, parameters, sourceContext).start();
    }

    @Override
    public void close() {
        egress.forEach(RemoteSession::close);
        LOG.info("{} closed", logPrefix);
    }
}
