package io.aviary.api.integration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One action's writer: renders its templates over each record and writes a batch to the external
 * system. The runtime does the rest (batching by size and time, the disk buffer, the inflight
 * window, retries with backoff, metrics), and never calls {@link #send} with an empty batch.
 * Several batches may be in flight at once (up to the action's inflight_window).
 */
@ConsumerType
public interface Sink extends AutoCloseable {

    /**
     * Writes a batch. Completes normally only when the system has accepted every record (an HTTP
     * 2xx, a broker ack, a committed insert). Completes exceptionally with a {@link SinkException}
     * saying whether the failure may be retried; any other exception counts as retryable.
     *
     * @param records rule outputs: plain JSON values (String, Long, Double, Boolean, Map, List, null)
     */
    CompletionStage<Void> send(List<Map<String, Object>> records);

    /** Releases what the sink holds (prepared statements, producers); does not throw. */
    @Override
    default void close() {
    }
}
