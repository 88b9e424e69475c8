package io.aviary.logbridge;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges the OSGi log into SLF4J, so SCR's and Config Admin's messages land in the same
 * one-line-per-event log as everything else. Framework bundle/service events are chatty and
 * go to debug; everything else keeps its level.
 */
@Component(immediate = true)
public final class OsgiLogToSlf4j implements LogListener {
    private final LogReaderService reader;

    @Activate
    public OsgiLogToSlf4j(@Reference LogReaderService reader) {
        this.reader = reader;
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        String source = entry.getBundle() == null ? "osgi" : entry.getBundle().getSymbolicName();
        String name = entry.getLoggerName();
        boolean frameworkEvent = name != null && name.startsWith("Events.");
        Logger log = LoggerFactory.getLogger(frameworkEvent ? "osgi.events" : "osgi." + source);
        String message = entry.getServiceReference() == null
                ? entry.getMessage() : entry.getMessage() + " (service " + entry.getServiceReference() + ")";
        Throwable error = entry.getException();
        if (frameworkEvent) {
            log.debug("{}: {}", source, message);
            return;
        }
        switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> log.error(message, error);
            case WARN -> log.warn(message, error);
            case INFO -> log.info(message, error);
            case DEBUG -> log.debug(message, error);
            default -> log.trace(message, error);
        }
    }
}
