package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.aviary.broker.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The admin API over HTTPS (dashboard.listeners.https), against the distribution with PEM
 * files made at test time: a client trusting the CA gets the API with its key, one that does
 * not is refused in the handshake, plain HTTP gets no answer, and verify_peer asks for a client
 * certificate.
 */
public class AdminTlsIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    public void apiAnswersOverHttpsWithAnEncryptedKeyAndRefusesUntrustedClientsAndPlainHttp() throws Exception {
        TestPki pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "admin-ca");
        TestPki.Issued server = pki.issue("admin", "CN=localhost", "key-secret", true);
        int https = Distribution.freePort();
        dist = new Distribution().start(https(https, server, pki, "--set",
                "dashboard.listeners.https.ssl_options.password=key-secret"));
        dist.awaitApi();

        HttpClient trusting = client(pki, null);
        HttpResponse<String> status = awaitHttps(trusting, https, "/status", false);
        assertEquals(200, status.statusCode());
        HttpResponse<String> clients = send(trusting, https, "/clients", true);
        assertEquals(clients.body(), 200, clients.statusCode());
        assertTrue(clients.body(), clients.body().contains("\"meta\""));
        assertEquals("credentials are still needed over TLS", 401, send(trusting, https, "/clients", false).statusCode());

        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(SSLHandshakeException.class, () -> send(untrusting, https, "/status", false));

        HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + https + "/api/v5/status"))
                .timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> answer = null;
        try {
            answer = untrusting.send(plain, HttpResponse.BodyHandlers.ofString());
        } catch (IOException refused) {
            // the TLS listener drops plain HTTP
        }
        assertTrue("plain HTTP on the TLS port must not reach the API", answer == null || answer.statusCode() == 400);
    }

    @Test
    public void verifyPeerRefusesAClientWithoutCertificateAndServesOneWithIt() throws Exception {
        TestPki pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "admin-ca");
        TestPki.Issued server = pki.server("admin");
        TestPki.Issued ops = pki.client("ops", "CN=ops-console");
        int https = Distribution.freePort();
        dist = new Distribution().start(https(https, server, pki,
                "--set", "dashboard.listeners.https.ssl_options.verify=verify_peer",
                "--set", "dashboard.listeners.https.ssl_options.fail_if_no_peer_cert=true"));
        dist.awaitApi();

        HttpClient withCert = client(pki, ops.keyManagerFactory().getKeyManagers());
        assertEquals(200, awaitHttps(withCert, https, "/clients", true).statusCode());
        HttpClient withoutCert = client(pki, null);
        assertThrows(IOException.class, () -> send(withoutCert, https, "/clients", true));
    }

    @Test
    public void anUnreadableKeyStopsTheApiStartWithAMessageNamingTheFile() throws Exception {
        TestPki pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "admin-ca");
        TestPki.Issued server = pki.issue("admin", "CN=localhost", "key-secret", true);
        int https = Distribution.freePort();
        dist = new Distribution().start(https(https, server, pki)); // encrypted key, no password
        await().atMost(Duration.ofSeconds(30)).until(() -> dist.console().contains("admin api: cannot start"));
        assertTrue(dist.console(), dist.console().contains("keyfile " + server.key() + " is encrypted"));
        assertTrue("the broker keeps running", dist.process().isAlive());
    }

    private static String[] https(int port, TestPki.Issued server, TestPki pki, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--set", "dashboard.listeners.https.enable=true",
                "--set", "dashboard.listeners.https.bind=127.0.0.1:" + port,
                "--set", "dashboard.listeners.https.ssl_options.certfile=" + server.cert(),
                "--set", "dashboard.listeners.https.ssl_options.keyfile=" + server.key(),
                "--set", "dashboard.listeners.https.ssl_options.cacertfile=" + pki.caFile()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static HttpClient client(TestPki pki, KeyManager[] keys) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys, pki.trustManagerFactory().getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The HTTPS listener opens with the HTTP one, which awaitApi saw; a few retries cover the gap. */
    private static HttpResponse<String> awaitHttps(HttpClient client, int port, String path, boolean credentials) {
        return await().atMost(Duration.ofSeconds(20)).ignoreException(java.net.ConnectException.class)
                .until(() -> send(client, port, path, credentials), r -> r != null);
    }

    private static HttpResponse<String> send(HttpClient client, int port, String path, boolean credentials)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/v5" + path))
                .timeout(Duration.ofSeconds(10));
        if (credentials) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString("admin:public".getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
