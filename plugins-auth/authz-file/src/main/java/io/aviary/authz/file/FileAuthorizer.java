package io.aviary.authz.file;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Authorizer;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's instance of authz-file: a member of the tenant's authorization chain answering
 * from its rules (inline {@code rules}, or the file at {@code path}, re-read when its modification
 * time changes, checked at most once a second). A changed file that does not parse is logged and
 * the previous rules stay in force. Rules that do not parse at start fail the instance.
 */
@Component(configurationPid = "authz-file", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Authorizer.class)
public final class FileAuthorizer implements Authorizer {
    private static final Logger LOG = LoggerFactory.getLogger(FileAuthorizer.class);
    private static final long RECHECK_MS = 1000;

    private final String tenant;
    private final Path file;
    private volatile AclRules rules;
    private volatile long fileStamp;
    private volatile long nextCheck;

    @Activate
    public FileAuthorizer(BundleContext context, Map<String, Object> props) {
        this(String.valueOf(props.get("tenant")), (String) props.get("rules"), path(context, (String) props.get("path")));
    }

    FileAuthorizer(String tenant, String inline, Path file) {
        this.tenant = tenant;
        this.file = inline == null ? file : null;
        if (inline != null) {
            rules = AclRules.parse(inline);
        } else {
            fileStamp = stamp(file);
            rules = AclRules.parse(read(file));
        }
        LOG.info("authz-file: tenant={} {} rules loaded{}", tenant, rules.size(), file == null || inline != null ? ""
                : " from " + file);
    }

    private static Path path(BundleContext context, String path) {
        if (path == null) {
            return null;
        }
        String home = context.getProperty("aviary.home");
        return home == null ? Paths.get(path) : Paths.get(home).resolve(path);
    }

    @Override
    public CompletionStage<Decision> authorize(ClientInfo client, Action action, String topic, int qos, boolean retain) {
        if (file != null) {
            reloadIfChanged();
        }
        return CompletableFuture.completedFuture(rules.decide(client, action, topic, qos, retain));
    }

    private void reloadIfChanged() {
        long now = System.currentTimeMillis();
        if (now < nextCheck) {
            return;
        }
        synchronized (this) {
            if (now >= nextCheck) {
                nextCheck = now + RECHECK_MS;
                reload();
            }
        }
    }

    /** Re-reads the file if its time or size changed; a file that does not parse leaves the rules as they were. */
    synchronized void reload() {
        long stamp = stamp(file);
        if (stamp == fileStamp) {
            return;
        }
        fileStamp = stamp;
        try {
            rules = AclRules.parse(read(file));
            LOG.info("authz-file: tenant={} {} rules reloaded from {}", tenant, rules.size(), file);
        } catch (RuntimeException e) {
            LOG.warn("authz-file: tenant={} {} not reloaded, the previous rules stay: {}", tenant, file, e.getMessage());
        }
    }

    private static long stamp(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("authz-file: cannot read " + file, e);
        }
    }
}
