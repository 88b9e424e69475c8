package io.aviary.runtime;

/**
 * An invalid configuration: the launcher prints {@link #getMessage()} and exits with code 2.
 * The message names the file and line (or the environment variable or flag), the key, and
 * what was expected.
 */
public final class ConfigError extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigError(String message) {
        super(message);
    }
}
