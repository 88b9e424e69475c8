package io.aviary.pluginmanager;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class UploadAllowancesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final AtomicLong now = new AtomicLong(1_000_000);

    private UploadAllowances allowances() {
        return new UploadAllowances(tmp.getRoot().toPath(), now::get);
    }

    private Path allow(String sha, long at) throws Exception {
        Path file = tmp.getRoot().toPath().resolve(sha);
        Files.writeString(file, at + "\n");
        return file;
    }

    @Test
    public void aFreshAllowanceAdmitsOneUpload() throws Exception {
        Path file = allow("abc", now.get() - 10);
        allowances().consume("abc");
        assertFalse("used up", Files.exists(file));
        SecurityException again = assertThrows(SecurityException.class, () -> allowances().consume("abc"));
        assertTrue(again.getMessage(), again.getMessage().contains("bin/aviary plugins allow abc"));
    }

    @Test
    public void anAllowanceOlderThanFiveMinutesIsRefused() throws Exception {
        allow("old", now.get() - UploadAllowances.VALIDITY_SECONDS - 1);
        SecurityException e = assertThrows(SecurityException.class, () -> allowances().consume("old"));
        assertTrue(e.getMessage(), e.getMessage().contains("expired"));
    }

    @Test
    public void anUnreadableAllowanceIsRefused() throws Exception {
        Files.writeString(tmp.getRoot().toPath().resolve("junk"), "yesterday");
        assertThrows(SecurityException.class, () -> allowances().consume("junk"));
    }

    @Test
    public void uploadsThatAreNotBundleJarsAreNamedAsSuch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PluginManagerComponent.fileName("not a jar".getBytes()));
        assertTrue(e.getMessage(), e.getMessage().contains("manifest") || e.getMessage().contains("jar"));
    }
}
