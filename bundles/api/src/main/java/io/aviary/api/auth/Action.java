package io.aviary.api.auth;

/** What a client wants to do with a topic. */
public enum Action {
    PUBLISH,
    SUBSCRIBE
}
