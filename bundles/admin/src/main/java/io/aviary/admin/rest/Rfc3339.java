package io.aviary.admin.rest;

import io.aviary.admin.error.ApiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as EMQX's API writes them (UTC, milliseconds), and their parsing. */
final class Rfc3339 {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private Rfc3339() {
    }

    static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
    }

    /** Epoch milliseconds, or null when 0 (the api's "never"). */
    static String formatMillis(long epochMillis) {
        return epochMillis <= 0 ? null : format(Instant.ofEpochMilli(epochMillis));
    }

    static Instant parse(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("field '" + field + "' must be an RFC 3339 time such as"
                    + " 2030-01-01T00:00:00Z, or \"infinity\"");
        }
    }
}
