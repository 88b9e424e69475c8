package io.aviary.api.events;

/** Why a message was not delivered; names follow EMQX's message.dropped / delivery.dropped reasons. */
public enum DropReason {
    NO_SUBSCRIBERS,
    QUEUE_FULL,
    EXPIRED,
    TOO_LARGE,
    NOT_AUTHORIZED,
    QOS0_OFFLINE,
    SESSION_EXPIRED,
    NO_LOCAL,
    /** A tenant quota (message size, rate, retained count) refused it. */
    QUOTA_EXCEEDED
}
