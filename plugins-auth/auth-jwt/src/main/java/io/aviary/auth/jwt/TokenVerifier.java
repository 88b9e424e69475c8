package io.aviary.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.Set;

/**
 * Checks a token's signature and time claims with nimbus-jose-jwt: HS256/384/512 against the
 * secret, or RS256/384/512, PS256/384/512 and ES256/384/512 against a public key PEM or the
 * keys of a JWKS endpoint (fetched on first use, cached for refresh_interval, refetched when a
 * token names an unknown key id). {@code exp} and {@code nbf} are enforced with no clock skew.
 */
final class TokenVerifier {
    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    private static final Set<JWSAlgorithm> PUBLIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    TokenVerifier(JwtSettings s) {
        JWKSource<SecurityContext> keys;
        Set<JWSAlgorithm> algorithms;
        if (s.algorithm().equals("hmac-based")) {
            byte[] secret = s.secretBase64() ? Base64.getDecoder().decode(s.secret())
                    : s.secret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalArgumentException("secret: at least 32 bytes (256 bits) for HS256, RFC 7518 3.2");
            }
            keys = new ImmutableSecret<>(secret);
            algorithms = HMAC;
        } else if (s.useJwks()) {
            try {
                long ttl = s.refreshSeconds() * 1000;
                keys = JWKSourceBuilder.create(URI.create(s.endpoint()).toURL()).cache(ttl, 5_000).retrying(true).build();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalArgumentException("endpoint: not a URL: " + s.endpoint());
            }
            algorithms = PUBLIC;
        } else {
            keys = new ImmutableJWKSet<>(new JWKSet(jwk(s.publicKey())));
            algorithms = PUBLIC;
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null, null);
        claims.setMaxClockSkew(0);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The token's claims if it is signed by a trusted key and in its validity period. */
    JWTClaimsSet verify(String token) throws ParseException, BadJOSEException, JOSEException {
        return processor.process(token, null);
    }

    /** A PEM "PUBLIC KEY" (SubjectPublicKeyInfo) of an RSA or EC key, parsed with the JDK. */
    static JWK jwk(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public_key: not a PEM public key");
        }
        for (String type : new String[] {"RSA", "EC"}) {
            try {
                PublicKey key = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
                if (key instanceof RSAPublicKey rsa) {
                    return new RSAKey.Builder(rsa).build();
                }
                ECPublicKey ec = (ECPublicKey) key;
                return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next key type
            }
        }
        throw new IllegalArgumentException("public_key: not an RSA or EC public key in PEM (BEGIN PUBLIC KEY)");
    }
}
