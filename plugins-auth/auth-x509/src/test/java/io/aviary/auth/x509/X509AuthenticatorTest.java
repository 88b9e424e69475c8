package io.aviary.auth.x509;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** What a verified certificate admits, and what it does not. */
public class X509AuthenticatorTest {

    private static AuthRequest request(String clientId, String username, String cn) {
        return new AuthRequest(new ClientInfo("t", clientId, username, null, "mqtt", 5, "ssl:mtls", cn,
                cn == null ? null : "CN=" + cn + ",O=Acme", Map.of()), username, null, null, null);
    }

    @Test
    public void aCertificateBoundToTheClientIdAdmitsOnlyThatClient() {
        X509Authenticator auth = new X509Authenticator("t", false, "clientid", List.of("ops-1"));
        AuthResult ok = auth.decide(request("dev-1", null, "dev-1"));
        assertEquals(Decision.ALLOW, ok.decision());
        assertEquals("dev-1", ok.attributes().get(X509Authenticator.IDENTITY_ATTRIBUTE));
        AuthResult other = auth.decide(request("dev-2", null, "dev-1"));
        assertEquals(Decision.DENY, other.decision());
        assertEquals(AuthResult.NOT_AUTHORIZED, other.reasonCode());
        assertTrue(auth.decide(request("ops-1", null, "ops-1")).superuser());
    }

    @Test
    public void noCertificateIsLeftToTheNextAuthenticatorAndTheDnCanBeTheIdentity() {
        assertEquals(Decision.IGNORE, new X509Authenticator("t", false, "none", List.of()).decide(request("d", "u", null))
                .decision());
        X509Authenticator byDn = new X509Authenticator("t", true, "username", List.of());
        assertEquals(Decision.ALLOW, byDn.decide(request("d", "CN=x,O=Acme", "x")).decision());
        assertEquals(Decision.DENY, byDn.decide(request("d", "x", "x")).decision());
    }
}
