package io.aviary.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The broker's CPU time and resident memory read from /proc, so that the load generator can
 * report them for exactly its measurement window (on a 2-core machine shared with the load
 * generator, CPU per message is the fairer efficiency figure than throughput).
 */
final class BrokerProcess {
    private final long pid;
    private final int clockTicks;

    BrokerProcess(long pid, int clockTicks) {
        this.pid = pid;
        this.clockTicks = clockTicks;
    }

    /** utime + stime of the process, in microseconds; -1 when it cannot be read. */
    long cpuMicros() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
            return ticks * 1_000_000L / clockTicks;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS in kB; -1 when it cannot be read. */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
