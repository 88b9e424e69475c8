package io.aviary.broker.transport;

import io.aviary.api.client.ClientInfo;
import io.aviary.api.events.DropReason;
import io.aviary.broker.BrokerCore;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.session.Connection;
import io.aviary.broker.session.Delivery;
import io.aviary.broker.session.InflightEntry;
import io.aviary.broker.session.Session;
import io.aviary.mqtt.codec.AckPacket;
import io.aviary.mqtt.codec.MqttEncoder;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PacketType;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.ReasonCode;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The broker-to-client half of one connection: the inflight window (the client's Receive
 * Maximum), packet ids, the session queue, redelivery with DUP on reconnect, the MQTT 3.x
 * retry timer, the client's Maximum Packet Size, Message Expiry, Subscription Identifiers and
 * Topic Aliases on the way out, and the acknowledgements that free the window. Runs on the
 * channel's event loop.
 */
final class OutboundFlow {

    private final BrokerCore core;
    /** Resolved once per connection, so counting a sent message costs one LongAdder bump. */
    private final io.aviary.broker.util.TenantCounters tenantCounters;
    private final BrokerSettings settings;
    private final Session session;
    private final ClientInfo client;
    private final MqttVersion version;
    private final ClientParams params;
    private final Connection owner;
    private final int window;
    /** Null unless the client accepts Topic Aliases and outbound_topic_alias is on: no cost otherwise. */
    private final OutboundTopicAliases aliases;
    /** MQTT 3.x with retry_interval: unacknowledged flows are resent on a timer (MQTT 5 never resends live). */
    private final boolean retries;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> retryTimer;
    private boolean started;
    private boolean stopped;

    OutboundFlow(BrokerCore core, Session session, ClientInfo client, MqttVersion version, ClientParams params,
                 Connection owner) {
        this.core = core;
        this.settings = core.settings();
        this.session = session;
        this.client = client;
        this.tenantCounters = core.counters().tenant(client.tenant());
        this.version = version;
        this.params = params;
        this.owner = owner;
        this.window = params.window(settings);
        this.retries = !version.isV5() && settings.retryIntervalMs > 0;
        // a new mapping per connection [MQTT-3.3.2-7]; none for a client that accepts none [MQTT-3.1.2-27]
        this.aliases = settings.outboundTopicAlias && version.isV5() && params.topicAliasMaximum() > 0
                ? new OutboundTopicAliases(params.topicAliasMaximum()) : null;
    }

    /** After CONNACK: re-sends inflight messages (PUBLISH with DUP, or PUBREL), then drains the queue. */
    void start(ChannelHandlerContext context) {
        this.ctx = context;
        long now = System.currentTimeMillis();
        resend(session.resendOnAttach(now, owner, window), now);
        started = true;
        drain();
    }

    /**
     * Starts the MQTT 3.x retry timer with the first QoS 1/2 flow of the connection: most
     * connections never have one, and a timer per connection would cost every connect and
     * disconnect a scheduled-task insert and removal.
     */
    private void armRetry() {
        if (retries && retryTimer == null && !stopped) {
            retryTimer = ctx.executor().scheduleWithFixedDelay(this::retryUnacknowledged, settings.retryIntervalMs,
                    settings.retryIntervalMs, TimeUnit.MILLISECONDS);
        }
    }

    /** No more writes: the connection is closing. Later deliveries go back to the session. */
    void stop() {
        stopped = true;
        if (retryTimer != null) {
            retryTimer.cancel(false);
        }
    }

    boolean isStarted() {
        return started;
    }

    /** Hands a delivery to this connection from any thread. */
    void send(Delivery d) {
        if (ctx == null) {
            requeue(d);
        } else if (ctx.executor().inEventLoop()) {
            deliver(d);
        } else if (d.qos() > 0) {
            session.inTransit(1); // counted in the backlog publishers see (Session.backlogged)
            ctx.executor().execute(() -> {
                session.inTransit(-1);
                deliver(d);
            });
        } else {
            ctx.executor().execute(() -> deliver(d));
        }
    }

    /** Writes the delivery now, or queues it (window full, not writable), or drops it (expired, too large). */
    void deliver(Delivery d) {
        if (!started || stopped || !ctx.channel().isActive()) {
            requeue(d);
            return;
        }
        long now = System.currentTimeMillis();
        if (d.message().expired(now)) {
            drop(d, DropReason.EXPIRED);
            return;
        }
        if (d.qos() == 0 && !ctx.channel().isWritable()) {
            requeue(d);
            return;
        }
        int id = session.admit(d, window, core.maxMqueueLen(client.tenant()), owner);
        if (id >= 0) {
            writePublish(d, id, false, now);
            ctx.flush();
        } else if (id == Session.DROPPED) {
            drop(d, DropReason.QUEUE_FULL);
        } else if (id == Session.NOT_OWNER) {
            requeue(d);
        } else if (id == Session.ENDED) {
            core.redispatch(session, d);
        }
    }

    /** PUBACK, PUBREC and PUBCOMP from the client. */
    void onAck(AckPacket a) {
        int id = a.packetId();
        long ticket;
        if (a.type() == PacketType.PUBACK) {
            completed(session.complete(id, false));
        } else if (a.type() == PacketType.PUBCOMP) {
            completed(session.complete(id, true));
        } else if (a.reasonCode() >= 0x80) {
            completed(session.complete(id, false)); // PUBREC with an error ends the flow [MQTT-4.3.3]
        } else if ((ticket = session.received(id)) >= 0) {
            // PUBREC is on disk before PUBREL goes: after a restart the PUBLISH is never sent again
            core.afterDurable(ticket, () -> inLoop(() -> ctx.writeAndFlush(AckPacket.pubRel(id), ctx.voidPromise())));
        } else {
            ctx.writeAndFlush(new AckPacket(PacketType.PUBREL, id,
                    version.isV5() ? ReasonCode.PACKET_IDENTIFIER_NOT_FOUND : 0, MqttProperties.EMPTY));
        }
    }

    private void completed(InflightEntry e) {
        if (e == null) {
            return;
        }
        if (!e.released()) {
            BrokerMessage m = e.delivery().message();
            if (core.events().active()) {
                var api = m.toApi();
                core.events().emit(l -> l.messageAcked(client, api));
            }
            m.release();
        }
        Connection current = session.connection();
        if (current != null && current != owner) {
            current.wake(); // acknowledged on the connection being taken over: the new one has a free slot
            return;
        }
        drain();
        ctx.flush();
    }

    private void inLoop(Runnable r) {
        if (ctx.executor().inEventLoop()) {
            r.run();
        } else {
            ctx.executor().execute(r);
        }
    }

    /** From any thread: drains the queue into free window slots on this connection's loop. */
    void wake() {
        if (ctx == null) {
            return;
        }
        ctx.executor().execute(() -> {
            drain();
            ctx.flush();
        });
    }

    /** Moves queued messages into free window slots and writes them (no flush). */
    void drain() {
        if (!started || stopped) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Session.Admitted a : session.drain(window, now, owner)) {
            writePublish(a.delivery(), a.packetId(), a.dup(), now); // dup: deferred at reconnect
        }
    }

    /**
     * MQTT 3.x only (MQTT 5 forbids resending except on reconnect [MQTT-4.4.0-1]): re-sends
     * PUBLISH (DUP) or PUBREL for inflight messages unacknowledged for retry_interval, as EMQX does.
     */
    private void retryUnacknowledged() {
        if (stopped) {
            return;
        }
        long now = System.currentTimeMillis();
        resend(session.resendable(now - settings.retryIntervalMs, now, owner), now);
        ctx.flush();
    }

    /** Writes PUBLISH with DUP (the reference was retained for us) or PUBREL for each entry. */
    private void resend(java.util.List<Session.Admitted> entries, long now) {
        for (Session.Admitted a : entries) {
            if (a.delivery() == null) {
                armRetry(); // a PUBLISH arms it in writePublish
                ctx.write(AckPacket.pubRel(a.packetId()));
            } else {
                writePublish(a.delivery(), a.packetId(), true, now);
            }
        }
    }

    /** The connection cannot take it now: to the connection that took over, or into the session's queue. */
    private void requeue(Delivery d) {
        if (d.shared() != null && d.qos() > 0 && session.connection() == null) {
            core.redispatch(session, d); // this member just left: another member of the share gets it
            return;
        }
        // QoS 0 waits for a connection that is busy (not writable); for one that is going away, only
        // as mqueue_store_qos0 says, as if the session were already offline
        boolean storeQos0 = settings.mqueueStoreQos0 || (ctx != null && ctx.channel().isActive() && !stopped);
        int r = session.offerOffline(d, core.maxMqueueLen(client.tenant()), storeQos0);
        if (r == Session.ONLINE) {
            Connection now = session.connection();
            if (now != null && now != owner) {
                now.send(d);
                return;
            }
            r = session.enqueue(d, core.maxMqueueLen(client.tenant()), storeQos0);
        }
        if (r == Session.ENDED) {
            core.redispatch(session, d); // the session ended while the delivery was on its way here
            return;
        }
        if (r == Session.DROPPED) {
            drop(d, DropReason.QUEUE_FULL);
        }
    }

    private void drop(Delivery d, DropReason reason) {
        core.forget(session, d);
        core.dropped(session, d.message(), reason);
        d.message().release();
    }

    /**
     * Writes one PUBLISH; the delivery's message reference passes to the write. With Topic
     * Aliases, a topic already bound goes as "" plus its alias, a new one (and a DUP resend, to be
     * safe) as the full topic plus the alias it binds; the binding counts only once written.
     */
    private void writePublish(Delivery d, int packetId, boolean dup, long now) {
        BrokerMessage m = d.message();
        String topic = m.topic();
        int alias = 0;
        boolean binds = false;
        if (aliases != null) {
            alias = aliases.aliasOf(topic);
            binds = alias == 0 || dup;
            if (alias == 0) {
                alias = aliases.nextToBind();
            }
        }
        PublishPacket p = new PublishPacket(alias != 0 && !binds ? "" : topic, d.qos(), d.retain(), dup && d.qos() > 0,
                packetId, properties(d, now), alias, m.payload());
        if (params.maxPacketSize() > 0 && MqttEncoder.encodedSize(p, version) > params.maxPacketSize()) {
            if (binds) {
                p = p.withTopicAlias(topic, 0); // the alias adds 3 bytes: without it the message may still fit
                binds = false;
            }
            if (!binds && MqttEncoder.encodedSize(p, version) > params.maxPacketSize()) {
                tooLarge(d, packetId);
                return;
            }
        }
        if (binds) {
            aliases.bind(topic, alias);
        }
        if (packetId != 0) {
            armRetry();
        }
        session.sent.increment();
        tenantCounters.sent(d.qos());
        tenantCounters.bytesOut(topic.length() + m.payload().readableBytes());
        if (core.events().active()) {
            var api = m.toApi();
            core.events().emit(l -> l.messageDelivered(client, api));
        }
        ctx.write(p, ctx.voidPromise()); // no future per message: a failed write closes the connection (exceptionCaught)
    }

    /** A message too big for the client is skipped, as if delivered [MQTT-3.1.2-25]. */
    private void tooLarge(Delivery d, int packetId) {
        if (packetId > 0) {
            InflightEntry e = session.complete(packetId, false);
            if (e != null) {
                e.delivery().message().release();
            }
        }
        drop(d, DropReason.TOO_LARGE);
    }

    /** Forwarded properties, plus the remaining Message Expiry and this subscriber's Subscription Identifiers. */
    private MqttProperties properties(Delivery d, long now) {
        if (!version.isV5()) {
            return MqttProperties.EMPTY;
        }
        BrokerMessage m = d.message();
        if (d.subscriptionIds() == null && m.expiresAt() == 0) {
            return m.properties();
        }
        MqttProperties.Builder b = m.properties().toBuilder();
        if (m.expiresAt() != 0) {
            b.set(PropertyId.MESSAGE_EXPIRY_INTERVAL, m.remainingExpirySeconds(now));
        }
        if (d.subscriptionIds() != null) {
            for (int id : d.subscriptionIds()) {
                b.subscriptionIdentifier(id);
            }
        }
        return b.build();
    }
}
