package io.aviary.broker.topic;

/** Receives the matches of one topic, as the topic tree walks its levels. */
public interface MatchSink {

    void direct(Subscription subscription);

    void shared(SharedGroup group);
}
