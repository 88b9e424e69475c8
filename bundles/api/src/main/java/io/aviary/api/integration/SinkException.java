package io.aviary.api.integration;

/**
 * Why a batch was not written. A retryable failure (the system is down, a timeout, an HTTP 5xx) is
 * sent again with backoff; one that is not (a template that renders nothing usable, a constraint
 * violation, an HTTP 4xx, a table that does not exist) is counted as failed with this message kept.
 */
public class SinkException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public SinkException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public static SinkException retryable(String message, Throwable cause) {
        return new SinkException(message, true, cause);
    }

    public static SinkException fatal(String message, Throwable cause) {
        return new SinkException(message, false, cause);
    }

    public boolean retryable() {
        return retryable;
    }
}
