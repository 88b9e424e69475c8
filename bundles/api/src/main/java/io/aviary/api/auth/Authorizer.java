package io.aviary.api.auth;

import io.aviary.api.client.ClientInfo;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A member of a tenant's authorization chain (ACL source). Answers ALLOW, DENY or
 * IGNORE for one topic and action. The broker caches answers per client, so an
 * authorizer is not called for every message.
 */
@ConsumerType
public interface Authorizer {

    /** @param topic a topic name for PUBLISH, a topic filter for SUBSCRIBE */
    CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain);
}
