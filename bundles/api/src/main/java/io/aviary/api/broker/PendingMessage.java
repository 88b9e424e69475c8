package io.aviary.api.broker;

import io.aviary.api.message.Message;

/**
 * A message waiting in a session: in its queue (packetId 0) or in flight to the client.
 *
 * @param qos        the QoS it is delivered with (subscription QoS applied)
 * @param insertedAt epoch ms it entered the queue or was (last) sent
 */
public record PendingMessage(Message message, int qos, int packetId, long insertedAt) {
}
