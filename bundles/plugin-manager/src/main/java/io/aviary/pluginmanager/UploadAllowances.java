package io.aviary.pluginmanager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongSupplier;

/**
 * The host-side consent for a plugin upload through the API: {@code bin/aviary plugins allow
 * <sha256>} writes data/plugin-allow/<sha256> holding the epoch second it was written. An upload
 * is accepted only if its sha256 has such a file younger than {@link #VALIDITY_SECONDS}; the file
 * is used up by the upload. So a stolen API key alone cannot load code into the broker.
 */
final class UploadAllowances {

    static final long VALIDITY_SECONDS = 300;

    private final Path dir;
    private final LongSupplier epochSeconds;

    UploadAllowances(Path dir, LongSupplier epochSeconds) {
        this.dir = dir;
        this.epochSeconds = epochSeconds;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** Consumes the allowance for {@code sha256}; throws SecurityException saying how to allow it when there is none. */
    void consume(String sha256) {
        Path file = dir.resolve(sha256);
        String refusal = null;
        try {
            long at = Long.parseLong(Files.readString(file).trim());
            long age = epochSeconds.getAsLong() - at;
            if (age < 0 || age > VALIDITY_SECONDS) {
                refusal = "the allowance for sha256 " + sha256 + " expired (valid for " + VALIDITY_SECONDS + " s)";
            }
            Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            refusal = "sha256 " + sha256 + " was not allowed";
        } catch (IOException | NumberFormatException e) {
            refusal = "the allowance for sha256 " + sha256 + " cannot be read: " + e.getMessage();
        }
        if (refusal != null) {
            throw new SecurityException(refusal + "; on the broker's host run: bin/aviary plugins allow " + sha256
                    + " and upload within " + VALIDITY_SECONDS / 60 + " minutes");
        }
    }
}
