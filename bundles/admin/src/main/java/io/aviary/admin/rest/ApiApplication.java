package io.aviary.admin.rest;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.aviary.admin.auth.ApiKeyStore;
import io.aviary.admin.auth.AuthFilter;
import io.aviary.admin.auth.Credentials;
import io.aviary.admin.auth.LoginLimiter;
import io.aviary.admin.auth.TenantScope;
import io.aviary.admin.auth.TokenStore;
import io.aviary.admin.error.ApiExceptionMapper;
import io.aviary.admin.error.UnexpectedExceptionMapper;
import io.aviary.admin.error.WebExceptionMapper;
import io.aviary.admin.json.GsonProvider;
import java.time.Clock;
import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The Jersey application: every resource, provider and filter, created here as ready-made
 * instances (no classpath scanning, no injection framework of ours), so what the API serves
 * is exactly this list.
 */
public final class ApiApplication {

    /** What the resources need from the component that owns them. */
    public record Parts(Services services, Credentials credentials, ApiKeyStore apiKeys, TokenStore tokens,
                        LoginLimiter limiter, Clock clock, String nodeName, String version) {
    }

    private ApiApplication() {
    }

    /**
     * Registers each resource by class and binds the ready instance to it. Registering the
     * instances directly works too, but Jersey then logs a spurious "does not implement any
     * provider interfaces" warning per resource (eclipse-ee4j/jersey#3700).
     */
    private static void resources(ResourceConfig config, Object... resources) {
        for (Object resource : resources) {
            config.register(resource.getClass());
        }
        config.register(new AbstractBinder() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            protected void configure() {
                for (Object resource : resources) {
                    bind(resource).to((Class) resource.getClass());
                }
            }
        });
    }

    public static ResourceConfig create(Parts parts) {
        Gson gson = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
        ResourceConfig config = new ResourceConfig();
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.property(CommonProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        config.property(ServerProperties.BV_FEATURE_DISABLE, true);
        // JSON only: no XML/image/activation providers (and no warning that activation is absent).
        config.property(CommonProperties.PROVIDER_DEFAULT_DISABLE, "DATASOURCE,DOMSOURCE,RENDEREDIMAGE,SAXSOURCE,STREAMSOURCE");
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        config.register(new GsonProvider(gson));
        config.register(new ApiExceptionMapper());
        config.register(new WebExceptionMapper());
        config.register(new UnexpectedExceptionMapper());
        config.register(new AuthFilter(parts.credentials(), parts.limiter()));
        config.register(new TenantScope(parts.services()::tenants, TenantScoped.class));
        Object[] served = {new StatusResource(parts.nodeName()),
                new LoginResource(parts.credentials(), parts.tokens(), parts.limiter(), parts.version()),
                new ApiKeyResource(parts.apiKeys(), parts.clock(), parts.services()),
                new PluginResource(parts.services()),
                new PluginInstanceResource(parts.services()),
                new ClientResource(parts.services(), parts.nodeName()),
                new PublishResource(parts.services()),
                new SubscriptionResource(parts.services(), parts.nodeName()),
                new TopicResource(parts.services(), parts.nodeName()),
                new RetainerResource(parts.services()),
                new DelayedResource(parts.services(), parts.nodeName()),
                new BannedResource(parts.services(), parts.clock()),
                new TenantResource(parts.services()),
                new ListenerResource(parts.services()),
                new AlarmResource(parts.services(), parts.nodeName()),
                new StatsResource(parts.services(), parts.nodeName(), parts.version()),
                new PrometheusResource(parts.services()),
                new RuleResource(parts.services(), parts.nodeName()),
                new RuleTestResource(parts.services()),
                new RuleEventResource(parts.services()),
                new AuthenticationResource(parts.services()),
                new AuthenticatorResource(parts.services()),
                new AuthnUserResource(parts.services()),
                new AuthzSourcesResource(parts.services()),
                new AuthzSourceResource(parts.services()),
                new AclRuleResource(parts.services()),
                new AuthzSettingsResource(parts.services()),
                new ConnectorResource(parts.services(), parts.nodeName()),
                new ConnectorProbeResource(parts.services(), parts.nodeName()),
                new ActionResource(parts.services(), parts.nodeName()),
                new ActionProbeResource(parts.services(), parts.nodeName()),
                new ActionTypeResource(parts.services(), parts.nodeName()),
                new SourceResource(parts.services(), parts.nodeName()),
                new SourceProbeResource(parts.services(), parts.nodeName()),
                new SourceTypeResource(parts.services(), parts.nodeName())};
        Class<?>[] classes = new Class<?>[served.length + 1];
        for (int i = 0; i < served.length; i++) {
            classes[i] = served[i].getClass();
        }
        classes[served.length] = OpenApiResource.class;
        Object[] all = java.util.Arrays.copyOf(served, served.length + 1);
        all[served.length] = new OpenApiResource(parts.version(), classes);
        resources(config, all);
        return config;
    }
}
