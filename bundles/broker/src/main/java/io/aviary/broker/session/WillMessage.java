package io.aviary.broker.session;

import io.aviary.api.client.ClientInfo;
import io.aviary.mqtt.codec.Will;

/**
 * A session's Will: the CONNECT's Will plus who set it. The broker message is built only when
 * the Will is published, so its Message Expiry counts from publication.
 *
 * @param delaySeconds the Will Delay Interval (MQTT 5), 0 otherwise
 */
public record WillMessage(ClientInfo client, Will will, long delaySeconds) {
}
