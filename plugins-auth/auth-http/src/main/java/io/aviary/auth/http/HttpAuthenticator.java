package io.aviary.auth.http;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.http.request.ClientValues;
import io.aviary.auth.http.request.HttpService;
import io.aviary.auth.http.request.HttpSettings;
import io.aviary.auth.http.request.ServiceAnswer;
import io.aviary.auth.jwt.acl.AclClaim;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's instance of auth-http (EMQX's {@code password_based:http}): every CONNECT asks the
 * tenant's service. The service's allow admits the client (a superuser if it says so, with its
 * client_attrs), deny refuses it with 0x87 Not authorized (as EMQX: {@code {error,
 * not_authorized}}), ignore passes to the next authenticator. A service that fails (down, slow,
 * another status, a body that does not parse) means ignore, or deny with
 * {@code ignore_backend_failures: false}. The request is asynchronous: no thread waits for it.
 * An allow's {@code acl} rules (EMQX 5.8; auth-jwt's format) travel with the client as the
 * attribute {@code http.acl}, and the instance, also an authorizer, answers from them (clients
 * without rules are ignored), as auth-jwt does with its claim; rules that do not parse refuse the
 * client with 0x86, as EMQX.
 */
@Component(configurationPid = "auth-http", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {Authenticator.class, Authorizer.class})
public final class HttpAuthenticator implements Authenticator, Authorizer {
    static final String ACL_ATTRIBUTE = "http.acl";
    private static final Logger LOG = LoggerFactory.getLogger(HttpAuthenticator.class);
    private static final int MAX_CACHED_ACLS = 10_000;
    private final Map<String, AclClaim> parsed = new ConcurrentHashMap<>();

    private final String tenant;
    private final HttpService service;

    @Activate
    public HttpAuthenticator(BundleContext context, Map<String, Object> props) {
        this(String.valueOf(props.get("tenant")), HttpSettings.from(props, 5_000), home(context));
    }

    HttpAuthenticator(String tenant, HttpSettings settings, Path home) {
        this.tenant = tenant;
        this.service = new HttpService(settings, ClientValues.AUTHN, home, "auth-http-" + tenant);
        LOG.info("auth-http: tenant={} enabled ({} {})", tenant, settings.post() ? "POST" : "GET", settings.url());
    }

    static Path home(BundleContext context) {
        String home = context == null ? null : context.getProperty("aviary.home");
        return home == null ? null : Path.of(home);
    }

    @Deactivate
    void deactivate() {
        service.close();
    }

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        if (request.authMethod() != null) {
            return CompletableFuture.completedFuture(AuthResult.ignore()); // enhanced auth is not ours (as EMQX)
        }
        Map<String, String> values = ClientValues.of(request.client(), request.username());
        if (request.password() != null) {
            values.put("password", new String(request.password(), StandardCharsets.UTF_8));
        }
        return service.ask(values, true).thenApply(a -> result(a, request));
    }

    private AuthResult result(ServiceAnswer a, AuthRequest request) {
        String client = request.client().clientId();
        switch (a.outcome()) {
            case ALLOW:
                Map<String, String> attributes = a.clientAttrs();
                if (a.acl() != null) {
                    try {
                        acl(a.acl());
                    } catch (RuntimeException e) {
                        LOG.info("auth-http: tenant={} client={} refused: bad acl: {}", tenant, client, e.getMessage());
                        return AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "auth-http: bad acl: " + e.getMessage());
                    }
                    attributes = new java.util.HashMap<>(attributes);
                    attributes.put(ACL_ATTRIBUTE, a.acl());
                }
                return new AuthResult(Decision.ALLOW, a.superuser(), null, 0, null, a.expireAtMs(), attributes);
            case DENY:
                LOG.info("auth-http: tenant={} client={} refused: {}", tenant, client, a.why());
                return AuthResult.deny(AuthResult.NOT_AUTHORIZED, "auth-http: " + a.why());
            case IGNORE:
                return AuthResult.ignore();
            default:
                LOG.warn("auth-http: tenant={} client={} service failed: {}", tenant, client, a.why());
                return service.settings().ignoreBackendFailures() ? AuthResult.ignore()
                        : AuthResult.deny(AuthResult.NOT_AUTHORIZED, "auth-http: the service failed: " + a.why());
        }
    }

    /** The client's rules from its authentication answer; IGNORE for a client that has none. */
    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        String json = client.attributes().get(ACL_ATTRIBUTE);
        if (json == null) {
            return CompletableFuture.completedFuture(Decision.IGNORE);
        }
        return CompletableFuture.completedFuture(acl(json).decide(client, action, topic, qos, retain));
    }

    /** Parsed once per distinct rule text (a bounded cache: beyond it, rules are parsed again). */
    private AclClaim acl(String json) {
        AclClaim acl = parsed.get(json);
        if (acl == null) {
            if (parsed.size() >= MAX_CACHED_ACLS) {
                parsed.clear();
            }
            acl = AclClaim.parse(json);
            parsed.put(json, acl);
        }
        return acl;
    }
}
