package io.aviary.storage.redis;

import io.aviary.api.integration.SinkException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Turns what Jedis throws into Redis's own words and a retry decision. An error reply to a
 * command (WRONGTYPE, ERR unknown command, a refused login) fails the same way every time, so it
 * is fatal; a connection that cannot be made or was lost, and the replies a healthy server gives
 * while it is busy or its cluster is moving (LOADING, BUSY, MOVED, ASK, TRYAGAIN, CLUSTERDOWN,
 * MASTERDOWN, READONLY, OOM) are retryable.
 */
final class RedisErrors {
    private static final String[] TRANSIENT = {"LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "READONLY",
        "OOM", "NOREPLICAS"};

    private RedisErrors() {
    }

    /** The most telling text: Redis's error reply, or the socket's own error (suppressed ones included). */
    static String describe(Throwable t) {
        String text = describe(t, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        return text != null ? text : t.getClass().getSimpleName();
    }

    /** Jedis chains and suppresses exceptions (a pipeline closed after a failed sync); a throwable is visited once. Null when none has a message. */
    private static String describe(Throwable t, java.util.Set<Throwable> seen) {
        String text = null;
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            Throwable[] suppressed = c.getSuppressed();
            if (suppressed.length > 0 && !seen.contains(suppressed[suppressed.length - 1])) {
                // "Failed to connect to any host resolved for DNS name." keeps each address's error as suppressed
                String inner = describe(suppressed[suppressed.length - 1], seen);
                if (inner != null && c.getCause() == null) {
                    return inner;
                }
            }
            boolean onlyRepeatsItsCause = c.getCause() != null && c.getCause().toString().equals(c.getMessage());
            if (c.getMessage() != null && !c.getMessage().isBlank() && !onlyRepeatsItsCause) {
                text = c.getMessage();
            }
            if (c instanceof JedisDataException) {
                return text; // Redis's reply, not what it caused
            }
        }
        return text;
    }

    static SinkException classify(Throwable t) {
        if (t instanceof SinkException s) {
            return s;
        }
        String text = describe(t);
        if (t instanceof JedisAccessControlException) {
            return SinkException.fatal(text, t);
        }
        if (t instanceof JedisRedirectionException || t instanceof JedisBusyException || t instanceof JedisClusterException) {
            return SinkException.retryable(text, t);
        }
        if (t instanceof JedisDataException) {
            for (String prefix : TRANSIENT) {
                if (text.startsWith(prefix)) {
                    return SinkException.retryable(text, t);
                }
            }
            return SinkException.fatal(text, t);
        }
        return SinkException.retryable(text, t);
    }
}
