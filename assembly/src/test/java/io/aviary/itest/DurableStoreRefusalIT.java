package io.aviary.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

/**
 * A store folder the broker cannot use is refused at start, through the launcher's normal
 * failure path (exit code 1, one message saying what to do), and nothing in it is deleted.
 */
public class DurableStoreRefusalIT {

    @Test
    public void aCorruptedStoreStopsStartUpWithExitCode1AndIsLeftUntouched() throws Exception {
        try (Distribution dist = new Distribution()) {
            Path store = dist.home.resolve("data/store");
            Files.createDirectories(store);
            Files.writeString(store.resolve("CURRENT"), "MANIFEST-000042\n"); // points at a manifest that is gone
            Files.writeString(store.resolve("000041.sst"), "not a table");
            IllegalStateException e = assertThrows(IllegalStateException.class, dist::start);
            assertEquals(1, dist.process().exitValue());
            String console = dist.console();
            assertTrue(console, console.contains("durable store " + store + " cannot be used"));
            assertTrue(console, console.contains("move it away to start with an empty store"));
            assertTrue(e.getMessage(), e.getMessage().contains("Aviary exited with 1"));
            assertEquals("not a table", Files.readString(store.resolve("000041.sst")));
        }
    }

    @Test
    public void memoryModeStartsWithoutTouchingTheStore() throws Exception {
        try (Distribution dist = new Distribution()) {
            Path store = dist.home.resolve("data/store");
            Files.createDirectories(store);
            Files.writeString(store.resolve("CURRENT"), "MANIFEST-000042\n");
            dist.start("--set", "durable_sessions.mode=memory");
            assertEquals("MANIFEST-000042\n", Files.readString(store.resolve("CURRENT")));
            dist.stop(java.time.Duration.ofSeconds(20));
        }
    }
}
