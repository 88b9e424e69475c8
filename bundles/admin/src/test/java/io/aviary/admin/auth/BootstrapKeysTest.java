package io.aviary.admin.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** EMQX's bootstrap file: good lines load with their roles, bad lines are skipped, changes win. */
public class BootstrapKeysTest {

    @Rule
    public final TemporaryFolder dir = new TemporaryFolder();

    @Test
    public void linesLoadWithRolesAndBadLinesAreSkipped() throws Exception {
        Path file = dir.newFile("keys").toPath();
        Files.writeString(file, "# comment\n\nk1:secret-1:viewer\nk2:secret-2\nk3:x\nk4:secret-4:root\nno-colon\n");
        ApiKeyStore store = new ApiKeyStore(dir.getRoot().toPath().resolve("api_keys.json"), new MutableClock());

        assertEquals(2, BootstrapKeys.load(file, store));
        assertEquals(Role.VIEWER, store.byApiKey("k1").orElseThrow().role());
        assertEquals(Role.ADMINISTRATOR, store.byApiKey("k2").orElseThrow().role());
        assertTrue(PasswordHash.parse(store.byApiKey("k1").orElseThrow().secretHash()).matches("secret-1"));
        assertTrue(store.byApiKey("k3").isEmpty());
        assertTrue(store.byApiKey("k4").isEmpty());
    }

    @Test
    public void aChangedSecretOrRoleInTheFileWins() throws Exception {
        Path file = dir.newFile("keys").toPath();
        ApiKeyStore store = new ApiKeyStore(dir.getRoot().toPath().resolve("api_keys.json"), new MutableClock());
        Files.writeString(file, "k1:old-secret:viewer\n");
        BootstrapKeys.load(file, store);
        Files.writeString(file, "k1:new-secret:publisher\n");
        BootstrapKeys.load(file, store);

        ApiKey key = store.byApiKey("k1").orElseThrow();
        assertEquals(1, store.list().size());
        assertEquals(Role.PUBLISHER, key.role());
        assertTrue(PasswordHash.parse(key.secretHash()).matches("new-secret"));
    }
}
