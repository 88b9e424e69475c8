package io.aviary.broker.session;

/** A session's identity: sessions of different tenants never meet, even with equal client ids. */
public record SessionKey(String tenant, String clientId) {
}
