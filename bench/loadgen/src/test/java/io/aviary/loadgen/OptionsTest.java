package io.aviary.loadgen;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

/** The command line: scenario defaults, and precise refusals of what cannot run. */
public class OptionsTest {
    @Test
    public void latencySplitsItsTotalRateOverItsPublishers() {
        Options o = Options.parse("latency", "--count", "8");
        assertEquals(10_000, o.totalRate, 0);
        assertEquals(1250, o.rate, 0);
    }

    @Test
    public void fanInTotalRateIsSharedByThePublishersOnly() {
        Options o = Options.parse("fanin", "--pubs", "4", "--total-rate", "1000");
        assertEquals(250, o.rate, 0);
    }

    @Test
    public void sourceAddressesAreAList() {
        Options o = Options.parse("conn", "--ifaddr", "127.0.0.1,127.0.0.2,127.0.0.3");
        assertEquals(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"), o.ifaddrs);
    }

    @Test
    public void aCaFileImpliesTls() {
        assertTrue(Options.parse("conn", "--cafile", "ca.pem").tls);
    }

    @Test
    public void badCommandLinesAreRefusedNamingTheProblem() {
        assertEquals("unknown mode: flood", assertThrows(IllegalArgumentException.class, () -> Options.parse("flood")).getMessage());
        assertEquals("--version must be 4 or 5", assertThrows(IllegalArgumentException.class,
                () -> Options.parse("pub", "--version", "3")).getMessage());
        assertEquals("--qos must be 0, 1 or 2", assertThrows(IllegalArgumentException.class,
                () -> Options.parse("pub", "-q", "3")).getMessage());
        assertEquals("unknown option: --speed", assertThrows(IllegalArgumentException.class,
                () -> Options.parse("pub", "--speed", "3")).getMessage());
        assertEquals("--rate needs a value", assertThrows(IllegalArgumentException.class,
                () -> Options.parse("pub", "--rate")).getMessage());
    }
}
