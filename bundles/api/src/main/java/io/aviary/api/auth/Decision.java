package io.aviary.api.auth;

/** A chain member's answer. IGNORE passes the question to the next member of the chain. */
public enum Decision {
    ALLOW,
    DENY,
    IGNORE
}
