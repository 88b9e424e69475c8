package io.aviary.bridge.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import io.aviary.api.integration.SinkException;

/**
 * Turns what the AMQP client throws into the broker's own words and a retry decision. A channel
 * closed by the broker with 403 (access refused), 404 (no such exchange) or 406 (precondition
 * failed) will fail again the same way, so it is fatal; so is a refused login. Everything else
 * (connection refused or lost, 320 connection forced, timeouts, nacks) is retryable.
 */
final class RabbitErrors {

    private RabbitErrors() {
    }

    /** The most telling text in the cause chain: the broker's reply text when it closed something. */
    static String describe(Throwable t) {
        ShutdownSignalException shutdown = find(t, ShutdownSignalException.class);
        if (shutdown != null && shutdown.getReason() instanceof AMQP.Channel.Close close) {
            return close.getReplyText();
        }
        if (shutdown != null && shutdown.getReason() instanceof AMQP.Connection.Close close) {
            return close.getReplyText();
        }
        Throwable deepest = t;
        String text = null;
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                text = c.getMessage();
            }
            deepest = c;
        }
        return text != null ? text : deepest.getClass().getSimpleName();
    }

    static SinkException classify(Throwable t) {
        if (t instanceof SinkException s) {
            return s;
        }
        String text = describe(t);
        if (find(t, AuthenticationFailureException.class) != null) {
            return SinkException.fatal(text, t);
        }
        ShutdownSignalException shutdown = find(t, ShutdownSignalException.class);
        if (shutdown != null && !shutdown.isHardError() && shutdown.getReason() instanceof AMQP.Channel.Close close) {
            int code = close.getReplyCode();
            if (code == AMQP.ACCESS_REFUSED || code == AMQP.NOT_FOUND || code == AMQP.PRECONDITION_FAILED) {
                return SinkException.fatal(text, t);
            }
        }
        return SinkException.retryable(text, t);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        int depth = 0;
        for (Throwable c = t; c != null && depth++ < 32; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
