package io.aviary.bridge.kafka;

import io.aviary.api.integration.SinkException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Sorts Kafka's failures into the runtime's two kinds. Retried: the broker is unreachable or busy
 * (every {@link RetriableException}, timeouts, a closed connection; also a partition the broker
 * does not know yet, since the sink has checked that the topic exists). Not retried: what would
 * fail the same way again (a record too large, an invalid topic name, refused credentials or
 * ACLs, any other error the broker answered with).
 */
final class KafkaErrors {
    private KafkaErrors() {
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static boolean retryable(Throwable e) {
        e = unwrap(e);
        if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidTopicException || e instanceof AuthenticationException
                || e instanceof AuthorizationException || e instanceof SerializationException) {
            return false;
        }
        if (e instanceof RetriableException) {
            return true;
        }
        // any other error the broker answered with is final; client-side trouble (closed, interrupted) is not
        return !(e instanceof ApiException);
    }

    static SinkException toSinkException(Throwable e) {
        Throwable cause = unwrap(e);
        if (cause instanceof SinkException se) {
            return se;
        }
        String message = describe(cause);
        return retryable(cause) ? SinkException.retryable(message, cause) : SinkException.fatal(message, cause);
    }

    /** The error's own words, with its kind when the message alone says too little. */
    static String describe(Throwable e) {
        e = unwrap(e);
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }
}
