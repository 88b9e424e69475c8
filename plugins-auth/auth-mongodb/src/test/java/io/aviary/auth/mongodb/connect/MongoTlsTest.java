package io.aviary.auth.mongodb.connect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.aviary.broker.testing.TestPki;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** TLS towards the database: mongo-java-server (an emulation of MongoDB) with a certificate made at test time. */
public class MongoTlsTest {
    private TestPki pki;
    private MongoServer server;
    private int port;
    private MongoBackend backend;

    @Before
    public void start() throws Exception {
        pki = new TestPki(Files.createTempDirectory("mongo-tls"), "mongo-ca");
        TestPki.Issued cert = pki.server("mongo");
        server = new MongoServer(new MemoryBackend());
        server.enableSsl(cert.privateKey(), null, cert.certificate());
        port = server.bind().getPort();
    }

    @After
    public void stop() {
        if (backend != null) {
            backend.close();
        }
        server.shutdownNow();
    }

    private MongoBackend backend(String ssl, String topology) {
        Map<String, Object> c = MongoBackendTest.config(port, null);
        c.put("ssl", ssl);
        if (topology != null) {
            c.put("topology", topology);
        }
        MongoSettings s = MongoSettings.from(c);
        backend = new MongoBackend(s, TlsContext.of(s.tls(), null), "test-tls");
        return backend;
    }

    @Test
    public void theServerIsTrustedThroughTheConfiguredCa() throws Exception {
        assertEquals(0, backend("{\"enable\": true, \"verify\": \"verify_peer\", \"cacertfile\": \"" + pki.caFile() + "\"}", null)
                .find(new BsonDocument(), 1).get(30, TimeUnit.SECONDS).size());
    }

    @Test
    public void aServerTheJvmsCasDoNotKnowFailsTheLookup() {
        // the handshake fails at every try; the lookup ends at server_selection_timeout_ms
        MongoBackend b = backend("{\"enable\": true}", "{\"server_selection_timeout_ms\": 2000}");
        assertThrows(ExecutionException.class, () -> b.find(new BsonDocument(), 1).get(30, TimeUnit.SECONDS));
    }
}
