package io.aviary.api.broker;

import io.aviary.api.message.Message;

/**
 * A message held by delayed publish.
 *
 * @param message         the message as it will be published (topic without the $delayed prefix)
 * @param delayedInterval seconds asked for in $delayed/{seconds}/
 * @param publishAt       epoch ms it was received
 * @param expectedAt      epoch ms it is due
 */
public record DelayedMessage(Message message, long delayedInterval, long publishAt, long expectedAt) {
}
