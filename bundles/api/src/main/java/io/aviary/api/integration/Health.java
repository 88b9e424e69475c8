package io.aviary.api.integration;

import java.util.Objects;

/**
 * A connector's (or a source's) state, as EMQX names it, with the last error when it is not connected.
 *
 * @param error the external system's own words for what is wrong; null when connected
 */
public record Health(Status status, String error) {

    public enum Status {
        CONNECTED,
        CONNECTING,
        DISCONNECTED;

        /** EMQX's spelling in the API: "connected", "connecting", "disconnected". */
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Health {
        Objects.requireNonNull(status, "status");
    }

    public static Health connected() {
        return new Health(Status.CONNECTED, null);
    }

    public static Health connecting(String why) {
        return new Health(Status.CONNECTING, why);
    }

    public static Health disconnected(String error) {
        return new Health(Status.DISCONNECTED, error);
    }
}
