package io.aviary.storage.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads a JSON Schema shipped in a plugin bundle (next to the class that asks). */
public final class Resources {
    private Resources() {
    }

    public static String text(Class<?> owner, String name) {
        try (InputStream in = owner.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " in " + owner.getName() + "'s bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
