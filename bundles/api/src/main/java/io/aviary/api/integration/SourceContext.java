package io.aviary.api.integration;

import io.aviary.api.message.Message;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a source hands what it reads. A message goes to the tenant's rules that select FROM
 * {@code "$bridges/<source id>"} and, when the source maps it to a local topic, to the broker.
 */
@ProviderType
public interface SourceContext {

    String tenant();

    /** The source's id, {@code type:name}. */
    String sourceId();

    /**
     * Hands over one message read from the external system.
     *
     * @param columns the columns rules see for it (EMQX's fields for this source type: topic,
     *     payload, qos, ... for MQTT; topic, key, value, headers, offset, ... for Kafka), plain JSON values
     * @param local   the message to publish to the tenant's local topic, or null when the source
     *     only feeds rules; its tenant is set by the runtime
     * @return completes once the rules were run and the local message (if any) was accepted by the
     *     broker, so the source may then commit or acknowledge; completes exceptionally when the
     *     publish was refused (the source should not commit, and reads it again)
     */
    CompletionStage<Void> deliver(Map<String, Object> columns, Message local);
}
