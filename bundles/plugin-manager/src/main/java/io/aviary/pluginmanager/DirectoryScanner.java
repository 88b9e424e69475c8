package io.aviary.pluginmanager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Polls a folder of jars and reports what was added, changed or removed since the last
 * report. A jar is reported only once it looks the same on two scans in a row, so a copy
 * still in progress is never installed half-written.
 */
final class DirectoryScanner {

    /** What a file looked like: enough to notice that it was replaced (fileKey is the inode). */
    record Stamp(long size, long modified, Object fileKey) {
    }

    record Changes(List<Path> added, List<Path> changed, List<Path> removed) {
        boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }
    }

    private final Path dir;
    private final Map<Path, Stamp> reported = new HashMap<>();
    private Map<Path, Stamp> previousScan = new HashMap<>();

    DirectoryScanner(Path dir) {
        this.dir = dir;
    }

    Changes scan() throws IOException {
        Map<Path, Stamp> now = list();
        List<Path> added = new ArrayList<>();
        List<Path> changed = new ArrayList<>();
        List<Path> removed = new ArrayList<>();
        for (Map.Entry<Path, Stamp> e : now.entrySet()) {
            Path file = e.getKey();
            boolean stable = e.getValue().equals(previousScan.get(file));
            Stamp known = reported.get(file);
            if (stable && known == null) {
                added.add(file);
                reported.put(file, e.getValue());
            } else if (stable && !known.equals(e.getValue())) {
                changed.add(file);
                reported.put(file, e.getValue());
            }
        }
        for (Path file : List.copyOf(reported.keySet())) {
            if (!now.containsKey(file)) {
                removed.add(file);
                reported.remove(file);
            }
        }
        previousScan = now;
        added.sort(null);
        return new Changes(added, changed, removed);
    }

    /** A jar the manager installed itself (an upload): counted as reported so no scan installs it again. */
    void accept(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        Stamp stamp = new Stamp(a.size(), a.lastModifiedTime().toMillis(), a.fileKey());
        reported.put(file, stamp);
        previousScan.put(file, stamp);
    }

    /** A jar the manager deleted itself (an uninstall): no scan reports its removal again. */
    void forget(Path file) {
        reported.remove(file);
        previousScan.remove(file);
    }

    private Map<Path, Stamp> list() throws IOException {
        Map<Path, Stamp> files = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> stream = Files.list(dir)) {
            for (Path p : (Iterable<Path>) stream::iterator) {
                if (!p.getFileName().toString().endsWith(".jar")) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        files.put(p, new Stamp(a.size(), a.lastModifiedTime().toMillis(), a.fileKey()));
                    }
                } catch (IOException gone) {
                    // Removed between listing and reading: the next scan reports it.
                }
            }
        }
        return files;
    }
}
