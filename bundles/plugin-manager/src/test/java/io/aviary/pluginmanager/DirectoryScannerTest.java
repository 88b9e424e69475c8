package io.aviary.pluginmanager;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DirectoryScannerTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void jarIsReportedOnlyOnceItIsStableAcrossTwoScans() throws Exception {
        Path dir = tmp.getRoot().toPath();
        DirectoryScanner scanner = new DirectoryScanner(dir);
        Path jar = Files.write(dir.resolve("a.jar"), new byte[] {1, 2});
        assertTrue("a file seen once may still be copying", scanner.scan().isEmpty());
        Files.write(jar, new byte[] {1, 2, 3}); // still growing
        assertTrue(scanner.scan().isEmpty());
        assertEquals(List.of(jar), scanner.scan().added());
        assertTrue("reported once only", scanner.scan().isEmpty());
    }

    @Test
    public void replacedJarIsReportedChangedAndDeletedJarRemoved() throws Exception {
        Path dir = tmp.getRoot().toPath();
        DirectoryScanner scanner = new DirectoryScanner(dir);
        Path jar = Files.write(dir.resolve("a.jar"), new byte[] {1});
        scanner.scan();
        scanner.scan();
        Files.write(jar, new byte[] {1, 2});
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
        scanner.scan();
        assertEquals(List.of(jar), scanner.scan().changed());
        Files.delete(jar);
        assertEquals(List.of(jar), scanner.scan().removed());
    }

    @Test
    public void filesOtherThanJarsAreIgnored() throws Exception {
        Path dir = tmp.getRoot().toPath();
        DirectoryScanner scanner = new DirectoryScanner(dir);
        Files.write(dir.resolve("notes.txt"), new byte[] {1});
        scanner.scan();
        assertTrue(scanner.scan().isEmpty());
    }
}
