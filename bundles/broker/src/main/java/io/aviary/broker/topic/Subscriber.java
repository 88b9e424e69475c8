package io.aviary.broker.topic;

import io.aviary.broker.session.SessionKey;

/** What the topic index needs to know of a subscribing session: who it is and whether it is connected. */
public interface Subscriber {

    SessionKey key();

    boolean online();
}
