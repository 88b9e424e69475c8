package io.aviary.auth.http;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.auth.Decision;
import io.aviary.auth.http.request.ClientValues;
import io.aviary.auth.http.request.HttpService;
import io.aviary.auth.http.request.HttpSettings;
import io.aviary.auth.http.request.ServiceAnswer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 */
@Component(configurationPid = "auth-http", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authenticator.class)
public final class HttpAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(HttpAuthenticator.class);

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
                return new AuthResult(Decision.ALLOW, a.superuser(), null, 0, null, a.expireAtMs(), a.clientAttrs());
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
}
