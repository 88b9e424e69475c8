package io.aviary.authz.mongodb;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.mongodb.connect.MongoBackend;
import io.aviary.auth.mongodb.connect.MongoSettings;
import io.aviary.auth.mongodb.connect.PlaceholderValues;
import io.aviary.auth.mongodb.connect.TlsContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.bson.BsonDocument;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's instance of authz-mongodb (EMQX's {@code mongodb} authorization source): a PUBLISH or
 * SUBSCRIBE the broker has not cached an answer for reads the client's rule documents (the tenant's
 * {@code filter}, placeholders bound as BSON string values) and the first rule matching the action
 * and topic decides. No document or no matching rule is ignore (the next source, then
 * {@code no_match}); a database that is down or slow is ignore too, as EMQX, within the timeouts.
 */
@Component(configurationPid = "authz-mongodb", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authorizer.class)
public final class MongoAuthorizer implements Authorizer {
    /** Rule documents read per check, at most: bounded memory whatever the collection holds. */
    static final int MAX_RULES = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(MongoAuthorizer.class);

    private final String tenant;
    private final MongoBackend backend;

    @Activate
    public MongoAuthorizer(BundleContext context, Map<String, Object> props) {
        this(String.valueOf(props.get("tenant")), props, home(context));
    }

    MongoAuthorizer(String tenant, Map<String, Object> props, Path home) {
        this.tenant = tenant;
        MongoSettings settings = MongoSettings.from(props);
        this.backend = new MongoBackend(settings, TlsContext.of(settings.tls(), home), "authz-mongodb-" + tenant);
        LOG.info("authz-mongodb: tenant={} enabled ({})", tenant, settings.describe());
    }

    private static Path home(BundleContext context) {
        String home = context == null ? null : context.getProperty("aviary.home");
        return home == null ? null : Path.of(home);
    }

    @Deactivate
    void deactivate() {
        backend.close();
    }

    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        BsonDocument filter = backend.settings().filter().render(PlaceholderValues.of(client, client.username()));
        return backend.find(filter, MAX_RULES, docs -> decide(docs, client, action, topic, qos, retain))
                .exceptionally(failure -> failed(client, topic, failure));
    }

    private Decision decide(List<BsonDocument> docs, ClientInfo client, Action action, String topic, int qos,
                            boolean retain) {
        if (docs.isEmpty()) {
            return Decision.IGNORE;
        }
        return AclDocuments.rules(docs, why -> LOG.warn("authz-mongodb: tenant={} client={} skipped a rule document {}",
                tenant, client.clientId(), why)).decide(client, action, topic, qos, retain);
    }

    private Decision failed(ClientInfo client, String topic, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        LOG.warn("authz-mongodb: tenant={} client={} topic={} lookup failed, ignored: {}", tenant, client.clientId(), topic,
                cause.toString());
        return Decision.IGNORE;
    }
}
