package io.aviary.bridge.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's pool_size AMQP connections, shared by its actions (each action opens its own
 * channels on them). A connection is made when first asked for and made again when asked for
 * after it was lost, so an outage heals on the next batch or health check.
 */
final class ConnectionPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    private final String tenant;
    private final String connectorId;
    private final RabbitMqSettings settings;
    private final ConnectionFactory factory;
    private final Connection[] slots;
    private final Object[] locks;
    private volatile boolean closed;

    ConnectionPool(String tenant, String connectorId, RabbitMqSettings settings) {
        this.tenant = tenant;
        this.connectorId = connectorId;
        this.settings = settings;
        this.factory = settings.factory();
        this.slots = new Connection[settings.poolSize()];
        this.locks = new Object[settings.poolSize()];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    int size() {
        return slots.length;
    }

    /** The open connection of a slot, connecting (blocking, up to the timeout) when there is none. */
    Connection get(int slot) throws IOException, TimeoutException {
        synchronized (locks[slot]) {
            if (closed) {
                throw new IOException("connector is stopped");
            }
            Connection c = slots[slot];
            if (c != null && c.isOpen()) {
                return c;
            }
            c = factory.newConnection(settings.addresses(), "aviary " + tenant + " " + connectorId + " #" + slot);
            c.addShutdownListener(cause -> {
                if (!cause.isInitiatedByApplication()) {
                    LOG.warn("bridge-rabbitmq: tenant={} connector={} connection #{} lost: {}", tenant, connectorId, slot,
                            RabbitErrors.describe(cause));
                }
            });
            if (closed) {
                c.abort(1000);
                throw new IOException("connector is stopped");
            }
            LOG.info("bridge-rabbitmq: tenant={} connector={} connection #{} open to {}", tenant, connectorId, slot,
                    c.getAddress().getHostAddress() + ":" + c.getPort());
            slots[slot] = c;
            return c;
        }
    }

    /** Whether a slot's connection is open now, without connecting. */
    boolean isOpen(int slot) {
        Connection c = slots[slot];
        return c != null && c.isOpen();
    }

    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < slots.length; i++) {
            Connection c = slots[i];
            if (c != null) {
                c.abort(2000);
            }
        }
    }
}
