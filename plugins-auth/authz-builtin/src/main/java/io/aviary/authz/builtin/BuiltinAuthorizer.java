package io.aviary.authz.builtin;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * One tenant's instance of authz-builtin: a member of that tenant's authorization chain (its
 * {@code tenant} configuration property becomes the service property the broker selects by),
 * answering from the rules {@link AclDatabase} keeps for the tenant. The check reads in-memory
 * maps only, so it answers at once on the caller's thread.
 */
@Component(configurationPid = "authz-builtin", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authorizer.class)
public final class BuiltinAuthorizer implements Authorizer {
    static final int DEFAULT_MAX_RULES = 100;

    private final AclDatabase database;
    private final String tenant;

    @Activate
    public BuiltinAuthorizer(@Reference AclDatabase database, Map<String, Object> props) {
        this.database = database;
        this.tenant = String.valueOf(props.get("tenant"));
        database.attach(tenant, maxRules(props), this);
    }

    @Deactivate
    void deactivate() {
        database.detach(tenant, this);
    }

    /** EMQX's max_rules (default 100); the plugin manager checked it against schema.json already. */
    static int maxRules(Map<String, Object> props) {
        Object v = props.get("max_rules");
        if (v == null) {
            return DEFAULT_MAX_RULES;
        }
        int n = v instanceof Number num ? num.intValue() : Integer.parseInt(v.toString());
        if (n < 1) {
            throw new IllegalArgumentException("max_rules: at least 1");
        }
        return n;
    }

    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        return CompletableFuture.completedFuture(database.decide(tenant, client, action, topic, qos, retain));
    }
}
