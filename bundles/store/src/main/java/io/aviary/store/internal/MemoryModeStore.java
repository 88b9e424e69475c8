package io.aviary.store.internal;

import io.aviary.store.DurableStore;
import java.util.function.BiConsumer;

/** {@code mode = memory}: keeps nothing; the broker then holds its state on the heap only. */
final class MemoryModeStore implements DurableStore {

    @Override public boolean durable() { return false; }
    @Override public long put(byte[] key, byte[] value) { return NONE; }
    @Override public long delete(byte[] key) { return NONE; }
    @Override public long deletePrefix(byte[] prefix) { return NONE; }
    @Override public void whenDurable(long ticket, Runnable action) { action.run(); }
    @Override public void scan(byte[] prefix, BiConsumer<byte[], byte[]> visitor) { }
    @Override public int scan(byte[] prefix, byte[] from, int limit, BiConsumer<byte[], byte[]> visitor) { return 0; }
    @Override public void compact() { }
    @Override public long diskSize() { return 0; }
}
