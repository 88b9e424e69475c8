package io.aviary.admin;

import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A port already taken does not hang or crash activation: started() fails and names the address. */
public class ListenerFailureTest {

    @Rule
    public final TemporaryFolder data = new TemporaryFolder();

    @Test
    public void portInUseFailsStartedNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            AdminServer server = new AdminServer(new TestConfig("127.0.0.1:" + taken.getLocalPort(), "admin", "pw"),
                    new AdminServer.Environment(data.getRoot().toPath(), "aviary@127.0.0.1", "0.1.0"));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> server.started().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains("127.0.0.1:" + taken.getLocalPort()));
            server.deactivate();
        }
    }
}
