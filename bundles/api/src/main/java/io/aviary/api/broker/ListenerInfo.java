package io.aviary.api.broker;

/**
 * One listener as the admin API shows it.
 *
 * @param id             {@code type:name}, e.g. {@code tcp:default}
 * @param type           tcp, ssl, ws or wss
 * @param bind           configured {@code host:port}
 * @param boundPort      the port actually bound while running (differs from bind's for port 0), else 0
 * @param running        bound and accepting connections
 * @param connections    connections open now
 * @param maxConnections 0 means unlimited
 * @param tenant         the tenant its clients belong to
 */
public record ListenerInfo(String id, String type, String name, String bind, int boundPort, boolean running,
        long connections, long maxConnections, String tenant) {
}
