package io.aviary.bridge.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The JSON Schemas of connectors, actions and sources, kept as resources of the bundle. */
final class Schemas {
    static final String CONNECTOR = read("/schemas/connector.json");
    static final String PRODUCER_ACTION = read("/schemas/producer-action.json");
    static final String CONSUMER_SOURCE = read("/schemas/consumer-source.json");

    private Schemas() {
    }

    private static String read(String resource) {
        try (InputStream in = Schemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
