package io.aviary.authz.http;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.http.request.ClientValues;
import io.aviary.auth.http.request.HttpService;
import io.aviary.auth.http.request.HttpSettings;
import io.aviary.auth.http.request.ServiceAnswer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's instance of authz-http (EMQX's {@code http} authorization source): a PUBLISH or
 * SUBSCRIBE the broker has not cached an answer for asks the tenant's service, with the topic,
 * action, qos and retain flag as placeholders. 204 or {@code "result": "allow"} allows, "deny"
 * denies, "ignore" and any status other than 200/204 pass to the next source (as EMQX's nomatch);
 * a service that is down, slow or answers nonsense means ignore, or deny with
 * {@code ignore_backend_failures: false}. The broker calls authorizers on its event loop, so the
 * answer is a pending stage: nothing blocks.
 */
@Component(configurationPid = "authz-http", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authorizer.class)
public final class HttpAuthorizer implements Authorizer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpAuthorizer.class);

    private final String tenant;
    private final HttpService service;

    @Activate
    public HttpAuthorizer(BundleContext context, Map<String, Object> props) {
        this(String.valueOf(props.get("tenant")), HttpSettings.from(props, 30_000), home(context));
    }

    HttpAuthorizer(String tenant, HttpSettings settings, Path home) {
        this.tenant = tenant;
        this.service = new HttpService(settings, ClientValues.AUTHZ, home, "authz-http-" + tenant);
        LOG.info("authz-http: tenant={} enabled ({} {})", tenant, settings.post() ? "POST" : "GET", settings.url());
    }

    private static Path home(BundleContext context) {
        String home = context == null ? null : context.getProperty("aviary.home");
        return home == null ? null : Path.of(home);
    }

    @Deactivate
    void deactivate() {
        service.close();
    }

    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        Map<String, String> values = ClientValues.of(client, client.username());
        boolean publish = action == Action.PUBLISH;
        values.put("topic", topic);
        values.put("action", publish ? "publish" : "subscribe");
        values.put("access", publish ? "2" : "1"); // EMQX 4's numbering, still offered by EMQX 5
        values.put("qos", Integer.toString(qos));
        values.put("retain", Boolean.toString(retain));
        return service.ask(values, false).thenApply(a -> decision(a, client, topic));
    }

    private Decision decision(ServiceAnswer a, ClientInfo client, String topic) {
        switch (a.outcome()) {
            case ALLOW:
                return Decision.ALLOW;
            case DENY:
                return Decision.DENY;
            case IGNORE:
                return Decision.IGNORE;
            default:
                LOG.warn("authz-http: tenant={} client={} topic={} service failed: {}", tenant, client.clientId(), topic,
                        a.why());
                return service.settings().ignoreBackendFailures() ? Decision.IGNORE : Decision.DENY;
        }
    }
}
