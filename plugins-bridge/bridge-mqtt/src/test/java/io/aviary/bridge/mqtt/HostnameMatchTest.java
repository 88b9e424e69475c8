package io.aviary.bridge.mqtt;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** verify_peer's name rules (RFC 6125 section 6.4.3): one left-most wildcard label, nothing more. */
public class HostnameMatchTest {

    @Test
    public void exactNamesMatchCaseInsensitivelyAndIgnoringATrailingDot() {
        assertTrue(HostnameMatch.dnsMatches("Broker.Example.com", "broker.example.com."));
        assertFalse(HostnameMatch.dnsMatches("broker.example.com", "other.example.com"));
    }

    @Test
    public void wildcardCoversExactlyOneLeftMostLabel() {
        assertTrue(HostnameMatch.dnsMatches("a.example.com", "*.example.com"));
        assertFalse(HostnameMatch.dnsMatches("a.b.example.com", "*.example.com"));
        assertFalse(HostnameMatch.dnsMatches("example.com", "*.example.com"));
        assertFalse("a wildcard over a public suffix matches nothing", HostnameMatch.dnsMatches("example.com", "*.com"));
    }
}
