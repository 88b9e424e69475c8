package io.aviary.authz.redis;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.redis.backend.RedisBackend;
import io.aviary.auth.redis.backend.RedisCommand;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's instance of authz-redis (EMQX's {@code redis} authorization source): a PUBLISH or
 * SUBSCRIBE the broker has not cached an answer for reads the client's rule hash with the
 * configured {@code cmd} (by default {@code HGETALL mqtt_acl:${username}}); a rule that matches
 * allows, none matching is ignore (the next source, then no_match). Redis failing or slow is
 * ignore too, logged. The read runs on the instance's own executor; the broker gets a stage.
 */
@Component(configurationPid = "authz-redis", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authorizer.class)
public final class RedisAuthorizer implements Authorizer {
    private static final Logger LOG = LoggerFactory.getLogger(RedisAuthorizer.class);

    private final String tenant;
    private final RedisCommand cmd;
    private final RedisBackend backend;

    @Activate
    public RedisAuthorizer(Map<String, Object> props) {
        this.tenant = String.valueOf(props.get("tenant"));
        this.cmd = RulesCommand.parse(props.get("cmd"));
        this.backend = new RedisBackend(props, "authz-redis: tenant=" + tenant, "authz-redis-" + tenant);
        LOG.info("authz-redis: tenant={} enabled ({} {}, {} {})", tenant, backend.settings().type(),
                backend.settings().describeServers(), cmd.name(), String.join(" ", cmd.template()));
    }

    @Deactivate
    void deactivate() {
        backend.close();
    }

    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        String key = cmd.render(client)[0];
        return backend.call(redis -> redis.hgetAll(key)).thenApply(hash -> {
            HashRules.Parsed rules = HashRules.of(hash);
            if (!rules.skipped().isEmpty()) {
                LOG.warn("authz-redis: tenant={} client={} rules {} skipped: values are neither an action nor "
                        + "{{\"action\", \"qos\", \"retain\"}}", tenant, client.clientId(), rules.skipped());
            }
            return rules.acl().decide(client, action, topic, qos, retain);
        }).exceptionally(e -> {
            LOG.warn("authz-redis: tenant={} client={} topic={} redis failed, ignored: {}", tenant, client.clientId(),
                    topic, RedisBackend.describe(e));
            return Decision.IGNORE;
        });
    }
}
