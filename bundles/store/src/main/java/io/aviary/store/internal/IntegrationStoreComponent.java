package io.aviary.store.internal;

import io.aviary.store.DurableStore;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second {@link DurableStore}, dedicated to the data integration's action buffers, in
 * {@code <data>/integration}: always RocksDB on disk (even with durable_sessions.mode = memory,
 * since a buffer exists to survive an outage and a restart), and apart from the sessions store so
 * a full buffer never competes with session writes for one commit thread. Told apart by the
 * service property {@link DurableStore#PURPOSE}.
 */
@Component(service = DurableStore.class,
        property = DurableStore.PURPOSE + "=" + DurableStore.PURPOSE_INTEGRATION)
public final class IntegrationStoreComponent implements DurableStore {

    private static final Logger LOG = LoggerFactory.getLogger(IntegrationStoreComponent.class);
    /** Buffered records nobody waits for reach the disk within this window. */
    private static final long COMMIT_WINDOW_MS = 20;

    private final RocksStore store;

    @Activate
    public IntegrationStoreComponent(BundleContext context) {
        Path data = StoreComponent.dataDir(context);
        Path dir = data.resolve("integration");
        try {
            store = RocksStore.open(dir, COMMIT_WINDOW_MS);
        } catch (StoreUnusableException e) {
            throw StoreComponent.fatal(data, e);
        }
        LOG.info("integration buffer store open at {}", dir);
    }

    @Deactivate
    void deactivate() {
        store.close();
        LOG.info("integration buffer store closed");
    }

    @Override public boolean durable() { return true; }
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
