package io.aviary.runtime;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the Felix framework's own log (set as "felix.log.logger") and writes it to SLF4J,
 * so the framework logs one line per event through the same backend as everything else.
 */
public final class FelixLogBridge extends org.apache.felix.framework.Logger {
    private static final Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String message, Throwable throwable) {
        String text = message;
        if (bundle != null) {
            text = bundle.getSymbolicName() + ": " + text;
        }
        if (sr != null) {
            text = text + " (service " + sr + ")";
        }
        switch (level) {
            case LOG_ERROR -> LOG.error(text, throwable);
            case LOG_WARNING -> LOG.warn(text, throwable);
            case LOG_INFO -> LOG.info(text, throwable);
            default -> LOG.debug(text, throwable);
        }
    }
}
