package io.aviary.broker.topic;

import io.aviary.broker.session.SessionKey;

/** What the topic index needs to know of a subscribing session: who it is, whether it is connected, whether it ended. */
public interface Subscriber {

    SessionKey key();

    boolean online();

    /** True once the session ended: a shared group never picks it, even before it has left the index. */
    default boolean ended() {
        return false;
    }
}
