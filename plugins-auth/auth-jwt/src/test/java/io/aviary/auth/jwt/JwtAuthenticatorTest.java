package io.aviary.auth.jwt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.aviary.api.auth.Action;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Tokens signed here with keys generated here: accepted, refused (0x86) or ignored, and the acl claim. */
public class JwtAuthenticatorTest {
    static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!";

    static String sign(JWSSigner signer, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static AuthResult connect(JwtAuthenticator a, String clientId, String user, String password) {
        ClientInfo c = new ClientInfo("iot", clientId, user, null, "mqtt", 5, "tcp:default", null, null, null);
        return a.decide(new AuthRequest(c, user, password == null ? null : password.getBytes(StandardCharsets.UTF_8), null, null));
    }

    private static JwtAuthenticator instance(Map<String, Object> props) {
        Map<String, Object> p = new HashMap<>(props);
        p.put("tenant", "iot");
        return new JwtAuthenticator(p);
    }

    private static Date in(long seconds) {
        return new Date(System.currentTimeMillis() + seconds * 1000);
    }

    @Test
    public void hmacTokensAreCheckedForSignatureExpiryAndClaims() throws Exception {
        JwtAuthenticator a = instance(Map.of("algorithm", "hmac-based", "secret", SECRET,
                "verify_claims", "{\"sub\":\"${clientid}\"}"));
        MACSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
        String good = sign(signer, JWSAlgorithm.HS256, new JWTClaimsSet.Builder().subject("dev-1").expirationTime(in(60)).build());
        AuthResult ok = connect(a, "dev-1", "any", good);
        assertEquals(Decision.ALLOW, ok.decision());
        assertTrue("exp is handed to the broker", ok.expiresAt() > System.currentTimeMillis());
        assertEquals("claim check", Decision.DENY, connect(a, "dev-2", "any", good).decision());
        String expired = sign(signer, JWSAlgorithm.HS256, new JWTClaimsSet.Builder().subject("dev-1").expirationTime(in(-5)).build());
        AuthResult refused = connect(a, "dev-1", "any", expired);
        assertEquals(Decision.DENY, refused.decision());
        assertEquals(AuthResult.BAD_USERNAME_OR_PASSWORD, refused.reasonCode());
        String otherKey = sign(new MACSigner("another-secret-of-at-least-32-bytes!!"), JWSAlgorithm.HS256,
                new JWTClaimsSet.Builder().subject("dev-1").build());
        assertEquals(Decision.DENY, connect(a, "dev-1", "any", otherKey).decision());
        assertEquals(Decision.DENY, connect(a, "dev-1", "any", "' OR '1'='1").decision());
        assertEquals(Decision.IGNORE, connect(a, "dev-1", "any", null).decision());
    }

    @Test
    public void aBase64SecretAndTheTokenInTheUserNameWork() throws Exception {
        byte[] raw = new byte[64]; // HS512 needs 512 bits (RFC 7518 3.2)
        new java.security.SecureRandom().nextBytes(raw);
        JwtAuthenticator a = instance(Map.of("algorithm", "hmac-based", "secret", Base64.getEncoder().encodeToString(raw),
                "secret_base64_encoded", true, "from", "username"));
        String token = sign(new MACSigner(raw), JWSAlgorithm.HS512, new JWTClaimsSet.Builder().subject("x").build());
        assertEquals(Decision.ALLOW, connect(a, "c", token, null).decision());
    }

    @Test
    public void rsaAndEcTokensCheckAgainstAPemPublicKey() throws Exception {
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        KeyPair rsa = rsaGen.generateKeyPair();
        JwtAuthenticator a = instance(Map.of("algorithm", "public-key", "public_key", pem(rsa)));
        String token = sign(new RSASSASigner(rsa.getPrivate()), JWSAlgorithm.RS256, new JWTClaimsSet.Builder().subject("s").build());
        assertEquals(Decision.ALLOW, connect(a, "c", "u", token).decision());
        KeyPair other = rsaGen.generateKeyPair();
        assertEquals(Decision.DENY, connect(a, "c", "u",
                sign(new RSASSASigner(other.getPrivate()), JWSAlgorithm.RS256, new JWTClaimsSet.Builder().build())).decision());

        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = ecGen.generateKeyPair();
        JwtAuthenticator e = instance(Map.of("algorithm", "public-key", "public_key", pem(ec)));
        assertEquals(Decision.ALLOW, connect(e, "c", "u", sign(new ECDSASigner((ECPrivateKey) ec.getPrivate()),
                JWSAlgorithm.ES256, new JWTClaimsSet.Builder().build())).decision());
        // an HMAC token "signed" with the public key bytes must not pass (algorithm confusion)
        String confused = sign(new MACSigner(pem(rsa).getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256,
                new JWTClaimsSet.Builder().build());
        assertEquals(Decision.DENY, connect(a, "c", "u", confused).decision());
    }

    @Test
    public void theAclClaimAuthorizesTheClient() throws Exception {
        JwtAuthenticator a = instance(Map.of("algorithm", "hmac-based", "secret", SECRET));
        MACSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
        List<Map<String, Object>> acl = List.of(
                Map.of("permission", "allow", "action", "publish", "topic", "up/${clientid}"),
                Map.of("permission", "allow", "action", "subscribe", "topics", List.of("down/${clientid}/#", "eq all/#")),
                Map.of("permission", "deny", "action", "all", "topic", "#"));
        AuthResult r = connect(a, "dev-1", "u", sign(signer, JWSAlgorithm.HS256, new JWTClaimsSet.Builder().claim("acl", acl).build()));
        ClientInfo dev = new ClientInfo("iot", "dev-1", "u", null, "mqtt", 5, "tcp:default", null, null, r.attributes());
        assertEquals(Decision.ALLOW, a.authorize(dev, Action.PUBLISH, "up/dev-1", 1, false).toCompletableFuture().join());
        assertEquals(Decision.DENY, a.authorize(dev, Action.PUBLISH, "up/dev-2", 1, false).toCompletableFuture().join());
        assertEquals(Decision.ALLOW, a.authorize(dev, Action.SUBSCRIBE, "down/dev-1/#", 1, false).toCompletableFuture().join());
        assertEquals(Decision.ALLOW, a.authorize(dev, Action.SUBSCRIBE, "all/#", 1, false).toCompletableFuture().join());
        assertEquals(Decision.DENY, a.authorize(dev, Action.SUBSCRIBE, "all/x", 1, false).toCompletableFuture().join());

        // EMQX's older format: allow lists, the rest denied
        AuthResult old = connect(a, "dev-2", "u", sign(signer, JWSAlgorithm.HS256, new JWTClaimsSet.Builder()
                .claim("acl", Map.of("pub", List.of("up/#"), "sub", List.of("down/#"))).build()));
        ClientInfo dev2 = new ClientInfo("iot", "dev-2", "u", null, "mqtt", 5, "tcp:default", null, null, old.attributes());
        assertEquals(Decision.ALLOW, a.authorize(dev2, Action.PUBLISH, "up/x", 0, false).toCompletableFuture().join());
        assertEquals(Decision.DENY, a.authorize(dev2, Action.PUBLISH, "down/x", 0, false).toCompletableFuture().join());

        ClientInfo noClaim = new ClientInfo("iot", "dev-3", "u", null, "mqtt", 5, "tcp:default", null, null, null);
        assertEquals(Decision.IGNORE, a.authorize(noClaim, Action.PUBLISH, "up/x", 0, false).toCompletableFuture().join());
        assertFalse(r.superuser());
    }

    @Test(expected = IllegalArgumentException.class)
    public void aShortHmacSecretIsRefused() {
        instance(Map.of("algorithm", "hmac-based", "secret", "short"));
    }
}
