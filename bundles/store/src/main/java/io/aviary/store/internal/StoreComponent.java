package io.aviary.store.internal;

import io.aviary.store.DurableStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DurableStore} service: RocksDB in {@code <data>/store} (mode durable, the default)
 * or nothing at all (mode memory). A store that cannot be opened is refused: the reason goes to
 * the log and to {@code <data>/aviary.fatal}, which the launcher reports before exiting with 1.
 */
@Component(service = DurableStore.class, configurationPid = "aviary.durable_sessions",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {DurableStore.PURPOSE + "=" + DurableStore.PURPOSE_SESSIONS, "service.ranking:Integer=100"})
@Designate(ocd = StoreConfig.class)
public final class StoreComponent implements DurableStore {

    private static final Logger LOG = LoggerFactory.getLogger(StoreComponent.class);
    static final String FATAL_MARKER = "aviary.fatal";

    private final DurableStore store;

    @Activate
    public StoreComponent(BundleContext context, StoreConfig config) {
        Path data = dataDir(context);
        if ("memory".equals(config.mode())) {
            LOG.warn("durable_sessions.mode = memory: sessions, queues and retained messages are lost on restart");
            store = new MemoryModeStore();
            return;
        }
        if (!"durable".equals(config.mode())) {
            throw fatal(data, new IllegalArgumentException("durable_sessions.mode: expected durable or memory, found '"
                    + config.mode() + "'"));
        }
        Path dir = data.resolve("store");
        try {
            store = RocksStore.open(dir, config.group__commit__window());
        } catch (StoreUnusableException e) {
            throw fatal(data, e);
        }
        LOG.info("durable store open at {} (group commit window {} ms)", dir, config.group__commit__window());
    }

    static Path dataDir(BundleContext context) {
        String dir = context.getProperty("aviary.data.dir");
        return Path.of(dir == null ? System.getProperty("java.io.tmpdir") + "/aviary-data" : dir);
    }

    /** Logs the reason once and leaves it where the launcher looks, so start-up fails with this message. */
    static RuntimeException fatal(Path data, RuntimeException e) {
        LOG.error("{}", e.getMessage());
        try {
            Files.createDirectories(data);
            Files.writeString(data.resolve(FATAL_MARKER), e.getMessage());
        } catch (IOException io) {
            LOG.error("cannot write {}: {}", data.resolve(FATAL_MARKER), io.toString());
        }
        return e;
    }

    @Deactivate
    void deactivate() {
        if (store instanceof RocksStore rocks) {
            rocks.close();
            LOG.info("durable store closed");
        }
    }

    @Override public boolean durable() { return store.durable(); }
    @Override public long put(byte[] key, byte[] value) { return store.put(key, value); }
    @Override public long delete(byte[] key) { return store.delete(key); }
    @Override public long deletePrefix(byte[] prefix) { return store.deletePrefix(prefix); }
    @Override public void whenDurable(long ticket, Runnable action) { store.whenDurable(ticket, action); }
    @Override public void scan(byte[] prefix, BiConsumer<byte[], byte[]> visitor) { store.scan(prefix, visitor); }
    @Override public int scan(byte[] prefix, byte[] from, int limit, BiConsumer<byte[], byte[]> visitor) {
        return store.scan(prefix, from, limit, visitor);
    }
    @Override public void compact() { store.compact(); }
    @Override public long diskSize() { return store.diskSize(); }
}
