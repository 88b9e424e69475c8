package io.aviary.admin;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

/** listeners.http.bind accepts EMQX's forms and refuses anything else with a clear message. */
public class BindAddressTest {

    @Test
    public void portAloneBindsAllAddresses() {
        assertEquals(new BindAddress("0.0.0.0", 18083), BindAddress.parse("18083"));
    }

    @Test
    public void hostAndPort() {
        assertEquals(new BindAddress("127.0.0.1", 0), BindAddress.parse("127.0.0.1:0"));
        assertEquals(new BindAddress("::1", 18083), BindAddress.parse("[::1]:18083"));
    }

    @Test
    public void garbageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BindAddress.parse("localhost:http"));
        assertThrows(IllegalArgumentException.class, () -> BindAddress.parse(":18083"));
        assertThrows(IllegalArgumentException.class, () -> BindAddress.parse("70000"));
        assertThrows(IllegalArgumentException.class, () -> BindAddress.parse(""));
    }
}
