package io.aviary.admin;

import io.aviary.admin.auth.AdminUser;
import io.aviary.admin.auth.ApiKeyStore;
import io.aviary.admin.auth.BootstrapKeys;
import io.aviary.admin.auth.LoginLimiter;
import io.aviary.admin.auth.Credentials;
import io.aviary.admin.auth.TokenStore;
import io.aviary.admin.auth.VerifiedCredentials;
import io.aviary.admin.http.HttpsOptions;
import io.aviary.admin.http.JettyHttpServer;
import io.aviary.admin.rest.ApiApplication;
import io.aviary.admin.rest.Services;
import io.aviary.api.alarm.Alarms;
import io.aviary.api.broker.BanList;
import io.aviary.api.broker.Broker;
import io.aviary.api.broker.BrokerQueries;
import io.aviary.api.broker.Listeners;
import io.aviary.api.metrics.MetricsExporter;
import io.aviary.api.plugin.PluginManager;
import io.aviary.api.auth.AclRuleStore;
import io.aviary.api.auth.UserStore;
import io.aviary.api.rules.Rules;
import io.aviary.api.tenant.Tenants;
import java.nio.file.Path;
import java.util.List;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API (EMQX's dashboard listener, PID {@code aviary.dashboard}). Activation
 * only records the configuration and hands the slow work (hashing the admin password, loading
 * API keys, starting Jetty and Jersey) to a starter thread, so the framework is never held up;
 * {@link #started()} tells when the port is open. The plugin manager and broker are optional,
 * dynamic references: the API answers 503 for what is missing instead of waiting for it.
 */
@Component(configurationPid = {AdminServer.PID, AdminServer.API_KEY_PID}, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class AdminServer {

    public static final String PID = "aviary.dashboard";
    /** EMQX's api_key section (bootstrap_file), merged into this component's configuration. */
    public static final String API_KEY_PID = "aviary.api_key";
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final long STOP_WAIT_SECONDS = 30;
    static final String FIRST_KEY = "first-start";

    /** EMQX's dashboard settings that apply here. */
    @ObjectClassDefinition(name = "Aviary admin API", description = "REST API listener and its admin user")
    public @interface Config {
        @AttributeDefinition(name = "listeners.http.enable")
        boolean listeners_http_enable() default true;

        @AttributeDefinition(name = "listeners.http.bind", description = "\"port\" or \"host:port\"")
        String listeners_http_bind() default "0.0.0.0:18083";

        @AttributeDefinition(name = "listeners.https.enable")
        boolean listeners_https_enable() default false;

        @AttributeDefinition(name = "listeners.https.bind", description = "\"port\" or \"host:port\"")
        String listeners_https_bind() default "0.0.0.0:18084";

        @AttributeDefinition(name = "listeners.https.ssl_options.certfile", description = "PEM certificate (chain)")
        String listeners_https_ssl__options_certfile() default "";

        @AttributeDefinition(name = "listeners.https.ssl_options.keyfile", description = "PEM PKCS#8 private key")
        String listeners_https_ssl__options_keyfile() default "";

        @AttributeDefinition(name = "listeners.https.ssl_options.password", type = AttributeType.PASSWORD)
        String listeners_https_ssl__options_password() default "";

        @AttributeDefinition(name = "listeners.https.ssl_options.cacertfile", description = "PEM CA certificates")
        String listeners_https_ssl__options_cacertfile() default "";

        @AttributeDefinition(name = "listeners.https.ssl_options.versions")
        String[] listeners_https_ssl__options_versions() default {"tlsv1.3", "tlsv1.2"};

        @AttributeDefinition(name = "listeners.https.ssl_options.ciphers")
        String[] listeners_https_ssl__options_ciphers() default {};

        @AttributeDefinition(name = "listeners.https.ssl_options.verify", description = "verify_none or verify_peer")
        String listeners_https_ssl__options_verify() default "verify_none";

        @AttributeDefinition(name = "listeners.https.ssl_options.fail_if_no_peer_cert")
        boolean listeners_https_ssl__options_fail__if__no__peer__cert() default false;

        @AttributeDefinition(name = "default_username")
        String default__username() default "admin";

        @AttributeDefinition(name = "default_password", type = AttributeType.PASSWORD)
        String default__password() default "public";

        @AttributeDefinition(name = "plugin_upload_max_size", description = "bytes; the largest POST /plugins/install body")
        long plugin__upload__max__size() default JettyHttpServer.DEFAULT_UPLOAD_MAX;

        @AttributeDefinition(name = "bootstrap_file", description = "api_key:api_secret[:role] per line; empty = none")
        String bootstrap__file() default "";
    }

    /** Where API keys live and how the node names itself; read from framework properties in OSGi. */
    public record Environment(Path dataDir, String nodeName, String version, Path home) {
        public Environment(Path dataDir, String nodeName, String version) {
            this(dataDir, nodeName, version, Path.of("").toAbsolutePath());
        }
    }

    private final Services services = new Services();
    private final CompletableFuture<Integer> started;
    private volatile JettyHttpServer http;

    @Activate
    public AdminServer(BundleContext context, Config config) {
        this(config, environment(context));
    }

    public AdminServer(Config config, Environment environment) {
        long begin = System.nanoTime();
        BindAddress bind = config.listeners_http_enable() ? BindAddress.parse(config.listeners_http_bind()) : null;
        HttpsOptions tls = config.listeners_https_enable() ? https(config, environment.home()) : null;
        started = CompletableFuture.supplyAsync(() -> start(bind, tls, config, environment, begin),
                runnable -> newStarterThread(runnable).start());
        LOG.info("admin api: activated in {} ms, starting on {}{}", (System.nanoTime() - begin) / 1_000_000,
                bind == null ? "" : "http " + bind, tls == null ? "" : " https " + tls.bind());
    }

    /** Completes with the bound port once the API answers; fails if the listener could not start. */
    public CompletableFuture<Integer> started() {
        return started;
    }

    @Deactivate
    public void deactivate() {
        try {
            started.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception notStarted) {
            // nothing is listening, or start is stuck; stop whatever exists
        }
        JettyHttpServer server = http;
        if (server != null) {
            try {
                server.stop();
                LOG.info("admin api: stopped");
            } catch (Exception e) {
                LOG.warn("admin api: error while stopping: {}", e.toString());
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setPluginManager(PluginManager pluginManager) {
        services.pluginManager(pluginManager);
    }

    public void unsetPluginManager(PluginManager pluginManager) {
        services.pluginManagerGone(pluginManager);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setBroker(Broker broker) {
        services.broker(broker);
    }

    public void unsetBroker(Broker broker) {
        services.brokerGone(broker);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setBrokerQueries(BrokerQueries queries) {
        services.queries(queries);
    }

    public void unsetBrokerQueries(BrokerQueries queries) {
        services.queriesGone(queries);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setMetrics(MetricsExporter metrics) {
        services.metrics(metrics);
    }

    public void unsetMetrics(MetricsExporter metrics) {
        services.metricsGone(metrics);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setBanList(BanList banList) {
        services.banList(banList);
    }

    public void unsetBanList(BanList banList) {
        services.banListGone(banList);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setListeners(Listeners listeners) {
        services.listeners(listeners);
    }

    public void unsetListeners(Listeners listeners) {
        services.listenersGone(listeners);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setTenants(Tenants tenants) {
        services.tenants(tenants);
    }

    public void unsetTenants(Tenants tenants) {
        services.tenantsGone(tenants);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAuthzControl(io.aviary.api.auth.AuthzControl authz) {
        services.authz(authz);
    }

    public void unsetAuthzControl(io.aviary.api.auth.AuthzControl authz) {
        services.authzGone(authz);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setUserStore(UserStore store) {
        services.userStore(store);
    }

    public void unsetUserStore(UserStore store) {
        services.userStoreGone(store);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAclRuleStore(AclRuleStore store) {
        services.aclRuleStore(store);
    }

    public void unsetAclRuleStore(AclRuleStore store) {
        services.aclRuleStoreGone(store);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setIntegrations(io.aviary.api.integration.Integrations integrations) {
        services.integrations(integrations);
    }

    public void unsetIntegrations(io.aviary.api.integration.Integrations integrations) {
        services.integrationsGone(integrations);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setRules(Rules rules) {
        services.rules(rules);
    }

    public void unsetRules(Rules rules) {
        services.rulesGone(rules);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setAlarms(Alarms alarms) {
        services.alarms(alarms);
    }

    public void unsetAlarms(Alarms alarms) {
        services.alarmsGone(alarms);
    }

    /** The HTTPS listener's settings; files relative to the installation directory, like every path of aviary.conf. */
    static HttpsOptions https(Config config, Path home) {
        String verify = config.listeners_https_ssl__options_verify();
        if (!verify.equals("verify_none") && !verify.equals("verify_peer")) {
            throw new IllegalArgumentException(
                    "dashboard.listeners.https.ssl_options.verify must be verify_none or verify_peer, was '" + verify + "'");
        }
        return new HttpsOptions(BindAddress.parse(config.listeners_https_bind(), "listeners.https.bind"),
                file(home, config.listeners_https_ssl__options_certfile()),
                file(home, config.listeners_https_ssl__options_keyfile()),
                config.listeners_https_ssl__options_password(),
                file(home, config.listeners_https_ssl__options_cacertfile()),
                List.of(config.listeners_https_ssl__options_versions()),
                List.of(config.listeners_https_ssl__options_ciphers()), verify.equals("verify_peer"),
                config.listeners_https_ssl__options_fail__if__no__peer__cert());
    }

    private static Path file(Path home, String name) {
        return name == null || name.isBlank() ? null : home.resolve(name);
    }

    /** The HTTPS listener's port once started, or -1 without one. */
    public int httpsPort() {
        JettyHttpServer server = http;
        return server == null ? -1 : server.httpsPort();
    }

    private int start(BindAddress bind, HttpsOptions tls, Config config, Environment env, long begin) {
        try {
            if ("public".equals(config.default__password())) {
                LOG.warn("admin api: the admin user still has the default password; set default_password");
            }
            Clock clock = Clock.systemUTC();
            AdminUser admin = new AdminUser(config.default__username(), config.default__password());
            ApiKeyStore apiKeys = new ApiKeyStore(env.dataDir().resolve("admin").resolve("api_keys.json"), clock);
            if (!config.bootstrap__file().isBlank()) {
                // relative to the installation directory, like every path of aviary.conf
                BootstrapKeys.load(env.home().resolve(config.bootstrap__file()), apiKeys);
            }
            firstKey(apiKeys);
            TokenStore tokens = new TokenStore(clock);
            Credentials credentials = new Credentials(admin, apiKeys, tokens, new VerifiedCredentials(), clock);
            JettyHttpServer server = new JettyHttpServer(bind, tls, ApiApplication.create(new ApiApplication.Parts(
                    services, credentials, apiKeys, tokens, new LoginLimiter(clock), clock, env.nodeName(),
                    env.version())), config.plugin__upload__max__size());
            http = server;
            int port = server.start();
            LOG.info("admin api: listening on {}{} ({} ms after activation)",
                    bind == null ? "" : "http " + bind.host() + ":" + port,
                    tls == null ? "" : " https " + tls.bind().host() + ":" + server.httpsPort(),
                    (System.nanoTime() - begin) / 1_000_000);
            return port;
        } catch (Exception e) {
            Object where = bind != null ? bind : tls.bind();
            LOG.error("admin api: cannot start on {}: {}", where, e.toString(), e);
            throw new IllegalStateException("admin api failed to start on " + where + ": " + e, e);
        }
    }

    /**
     * With no key at all (first start, no bootstrap file) one administrator key is made and its
     * secret printed once in the log, so scripts have a key without the default admin password.
     */
    private static void firstKey(ApiKeyStore apiKeys) {
        if (!apiKeys.isEmpty()) {
            return;
        }
        ApiKeyStore.Created created = apiKeys.create(FIRST_KEY, null, "made at first start", true);
        LOG.warn("admin api: no api key existed, created api key '{}' (role administrator): api_key={} api_secret={}"
                + " (shown only this once)", FIRST_KEY, created.key().apiKey(), created.secret());
    }

    private static Thread newStarterThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "aviary-admin-start");
        thread.setDaemon(true);
        return thread;
    }

    private static Environment environment(BundleContext context) {
        String dataDir = context.getProperty("aviary.data.dir");
        if (dataDir == null || dataDir.isBlank()) {
            dataDir = System.getProperty("java.io.tmpdir") + "/aviary-data";
            LOG.warn("admin api: framework property aviary.data.dir is not set; api keys go to {}", dataDir);
        }
        String node = context.getProperty("aviary.node.name");
        String home = context.getProperty("aviary.home");
        return new Environment(Path.of(dataDir), node == null ? "aviary@127.0.0.1" : node,
                context.getBundle().getVersion().toString(), Path.of(home == null ? "" : home).toAbsolutePath());
    }
}
