package io.aviary.api.integration;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A running source: it reads from the external system in the background and hands each message
 * to its {@link SourceContext}. Stopped by {@link #close}; its health feeds the source's status.
 */
@ConsumerType
public interface Source extends AutoCloseable {

    /** The source's own state (a consumer that lost its broker is disconnected, with the error). */
    Health health();

    /** Stops reading; does not throw. Messages already handed over are not lost. */
    @Override
    void close();
}
