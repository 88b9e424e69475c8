package io.aviary.auth.http.request;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.auth.http.request.ServiceAnswer.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.Test;

public class ServiceAnswerTest {
    private static final String JSON = "application/json; charset=utf-8";

    private static ServiceAnswer authn(int status, String type, String body) {
        return ServiceAnswer.authn(status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static ServiceAnswer authz(int status, String type, String body) {
        return ServiceAnswer.authz(status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void authenticationReadsResultSuperuserAndClientAttrs() {
        ServiceAnswer a = authn(200, JSON, "{\"result\":\"allow\",\"is_superuser\":true,"
                + "\"client_attrs\":{\"role\":\"admin\",\"sn\":\"10c61f1a1f47\",\"aviary.superuser\":\"true\",\"n\":5,\"o\":{}}}");
        assertEquals(Outcome.ALLOW, a.outcome());
        assertTrue(a.superuser());
        assertEquals("dotted names (Aviary's own attributes) and non-text values are dropped",
                Map.of("role", "admin", "sn", "10c61f1a1f47", "n", "5"), a.clientAttrs());
        assertFalse(authn(200, JSON, "{\"result\":\"allow\"}").superuser());
        assertTrue(authn(200, JSON, "{\"result\":\"allow\",\"is_superuser\":\"1\"}").superuser());
        assertFalse(authn(200, JSON, "{\"result\":\"allow\",\"is_superuser\":\"yes\"}").superuser());
        assertEquals(Outcome.DENY, authn(200, JSON, "{\"result\":\"deny\"}").outcome());
        assertEquals(Outcome.IGNORE, authn(200, JSON, "{\"result\":\"ignore\"}").outcome());
        assertEquals("no result is ignore (EMQX's default)", Outcome.IGNORE, authn(200, JSON, "{}").outcome());
        assertEquals(Outcome.ALLOW, authn(204, null, "").outcome());
        assertEquals("[{\"permission\":\"deny\",\"action\":\"all\",\"topic\":\"#\"}]", authn(200, JSON,
                "{\"result\":\"allow\",\"acl\":[{\"permission\":\"deny\",\"action\":\"all\",\"topic\":\"#\"}]}").acl());
        ServiceAnswer form = authn(200, "application/x-www-form-urlencoded", "result=allow&is_superuser=true");
        assertEquals(Outcome.ALLOW, form.outcome());
        assertTrue(form.superuser());
    }

    @Test
    public void anythingElseFromTheAuthenticationServiceIsAFailure() {
        assertEquals(Outcome.FAILURE, authn(500, JSON, "{\"result\":\"allow\"}").outcome());
        assertEquals(Outcome.FAILURE, authn(403, JSON, "{\"result\":\"deny\"}").outcome());
        assertEquals(Outcome.FAILURE, authn(200, "text/plain", "allow").outcome());
        assertEquals(Outcome.FAILURE, authn(200, null, "{\"result\":\"allow\"}").outcome());
        assertEquals(Outcome.FAILURE, authn(200, JSON, "{\"result\":").outcome());
        assertEquals(Outcome.FAILURE, authn(200, JSON, "[\"allow\"]").outcome());
        assertEquals(Outcome.FAILURE, authn(200, JSON, "{\"result\":\"maybe\"}").outcome());
    }

    @Test
    public void expireAtMustBeFutureEpochSeconds() {
        long now = System.currentTimeMillis() / 1000;
        assertEquals((now + 60) * 1000, authn(200, JSON, "{\"result\":\"allow\",\"expire_at\":" + (now + 60) + "}").expireAtMs());
        assertEquals(Outcome.DENY, authn(200, JSON, "{\"result\":\"allow\",\"expire_at\":" + (now - 60) + "}").outcome());
        assertEquals(Outcome.DENY, authn(200, JSON, "{\"result\":\"allow\",\"expire_at\":" + now * 1000 + "}").outcome());
        assertEquals(Outcome.DENY, authn(200, JSON, "{\"result\":\"allow\",\"expire_at\":\"soon\"}").outcome());
    }

    @Test
    public void authorizationTreatsOtherStatusesAsNoMatch() {
        assertEquals(Outcome.ALLOW, authz(204, null, "").outcome());
        assertEquals(Outcome.ALLOW, authz(200, JSON, "{\"result\":\"allow\"}").outcome());
        assertEquals("no content-type is read as JSON", Outcome.DENY, authz(200, null, "{\"result\":\"deny\"}").outcome());
        assertEquals(Outcome.IGNORE, authz(200, JSON, "{\"result\":\"ignore\"}").outcome());
        assertEquals(Outcome.IGNORE, authz(403, JSON, "{\"result\":\"allow\"}").outcome());
        assertEquals(Outcome.IGNORE, authz(500, null, "").outcome());
        assertEquals(Outcome.FAILURE, authz(200, JSON, "{}").outcome());
        assertEquals(Outcome.FAILURE, authz(200, JSON, "not json").outcome());
        assertEquals(Outcome.FAILURE, authz(200, "text/html", "<p>").outcome());
    }
}
