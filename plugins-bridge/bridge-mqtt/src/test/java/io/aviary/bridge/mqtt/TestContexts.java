package io.aviary.bridge.mqtt;

import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.SourceContext;
import io.aviary.api.message.Message;
import io.aviary.api.rules.Templates;
import io.aviary.rules.TemplateService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/** The runtime's side of the SPI as plain objects: the real template service, a real scheduler. */
final class TestContexts {
    static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "test-integration-scheduler");
        t.setDaemon(true);
        return t;
    });
    static final Templates TEMPLATES = new TemplateService();

    private TestContexts() {
    }

    static ConnectorContext connector(String tenant, String connectorId) {
        return new ConnectorContext() {
            @Override
            public String tenant() {
                return tenant;
            }

            @Override
            public String connectorId() {
                return connectorId;
            }

            @Override
            public Templates templates() {
                return TEMPLATES;
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return SCHEDULER;
            }
        };
    }

    /** One hand-over as the source made it. */
    record Delivery(Map<String, Object> columns, Message local) {}

    /** Records every hand-over; {@code answer} decides how each completes (default: at once). */
    static final class RecordingSource implements SourceContext {
        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        volatile Function<Delivery, CompletionStage<Void>> answer = d -> CompletableFuture.completedFuture(null);
        private final String sourceId;

        RecordingSource(String sourceId) {
            this.sourceId = sourceId;
        }

        @Override
        public String tenant() {
            return "acme";
        }

        @Override
        public String sourceId() {
            return sourceId;
        }

        @Override
        public CompletionStage<Void> deliver(Map<String, Object> columns, Message local) {
            Delivery d = new Delivery(columns, local);
            deliveries.add(d);
            return answer.apply(d);
        }

        List<String> payloads() {
            return deliveries.stream().map(d -> String.valueOf(d.columns().get("payload"))).toList();
        }
    }
}
