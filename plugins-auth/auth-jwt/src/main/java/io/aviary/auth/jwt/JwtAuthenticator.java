package io.aviary.auth.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import io.aviary.api.auth.Action;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.jwt.acl.AclClaim;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's instance of auth-jwt, a member of both of its chains. As an authenticator: the
 * token comes from the password (or user name); no token IGNOREs; a token that does not parse,
 * is not signed by a trusted key, is expired or not yet valid, or fails a verify_claims check is
 * DENYed with 0x86. An accepted token's acl claim travels with the client as the attribute
 * {@code jwt.acl} (so nothing here is kept per client); as an authorizer the instance answers
 * from that claim, parsed once per distinct claim (a bounded cache), and IGNOREs clients
 * without one.
 */
@Component(configurationPid = "auth-jwt", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {Authenticator.class, Authorizer.class})
public final class JwtAuthenticator implements Authenticator, Authorizer {
    static final String ACL_ATTRIBUTE = "jwt.acl";
    private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);
    private static final int MAX_CACHED_ACLS = 10_000;

    private final String tenant;
    private final JwtSettings settings;
    private final TokenVerifier verifier;
    private final Map<String, AclClaim> parsed = new ConcurrentHashMap<>();

    @Activate
    public JwtAuthenticator(Map<String, Object> props) {
        this(String.valueOf(props.get("tenant")), JwtSettings.from(props));
    }

    JwtAuthenticator(String tenant, JwtSettings settings) {
        this.tenant = tenant;
        this.settings = settings;
        this.verifier = new TokenVerifier(settings);
        LOG.info("auth-jwt: tenant={} enabled ({}{})", tenant, settings.algorithm(),
                settings.useJwks() ? ", JWKS " + settings.endpoint() : "");
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        return CompletableFuture.completedFuture(decide(request));
    }

    AuthResult decide(AuthRequest request) {
        if (request.authMethod() != null) {
            return AuthResult.ignore();
        }
        String token = settings.fromUsername() ? request.username()
                : request.password() == null ? null : new String(request.password(), StandardCharsets.UTF_8);
        if (token == null || token.isEmpty()) {
            return AuthResult.ignore();
        }
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(token);
        } catch (Exception e) {
            LOG.info("auth-jwt: tenant={} client={} token refused: {}", tenant, request.client().clientId(), e.getMessage());
            return AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "auth-jwt: " + e.getMessage());
        }
        for (Map.Entry<String, String> check : settings.verifyClaims().entrySet()) {
            String expected = render(check.getValue(), request.client());
            Object actual = claims.getClaim(check.getKey());
            if (expected == null || actual == null || !expected.equals(String.valueOf(actual))) {
                return AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "auth-jwt: claim " + check.getKey() + " does not match");
            }
        }
        Object acl = claims.getClaim(settings.aclClaim());
        Map<String, String> attributes = Map.of();
        if (acl != null) {
            String json = new com.google.gson.Gson().toJson(acl);
            try {
                AclClaim.parse(json);
            } catch (RuntimeException e) {
                return AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "auth-jwt: bad acl claim: " + e.getMessage());
            }
            attributes = Map.of(ACL_ATTRIBUTE, json);
        }
        Date exp = claims.getExpirationTime();
        boolean superuser = Boolean.TRUE.equals(claims.getClaim("is_superuser"));
        return new AuthResult(Decision.ALLOW, superuser, null, 0, null,
                exp != null && settings.disconnectAfterExpire() ? exp.getTime() : 0, attributes);
    }

    private static String render(String template, ClientInfo client) {
        String out = template;
        if (out.contains("${clientid}")) {
            out = out.replace("${clientid}", client.clientId());
        }
        if (out.contains("${username}")) {
            if (client.username() == null) {
                return null;
            }
            out = out.replace("${username}", client.username());
        }
        return out;
    }

    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        String json = client.attributes().get(ACL_ATTRIBUTE);
        if (json == null) {
            return CompletableFuture.completedFuture(Decision.IGNORE);
        }
        AclClaim acl = parsed.get(json);
        if (acl == null) {
            if (parsed.size() >= MAX_CACHED_ACLS) {
                parsed.clear(); // bounded: distinct claims beyond this are parsed again
            }
            acl = AclClaim.parse(json);
            parsed.put(json, acl);
        }
        return CompletableFuture.completedFuture(acl.decide(client, action, topic, qos, retain));
    }
}
