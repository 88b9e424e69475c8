package io.aviary.broker.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Keeps a connection's inbound packets in order across asynchronous answers (authorization,
 * re-authentication): while one is pending, reading pauses and packets already decoded wait
 * here; when it completes, its continuation runs on the event loop and the waiting packets
 * are processed until the next pause.
 */
final class InboundGate {

    private final ArrayDeque<Object> waiting = new ArrayDeque<>(1); // one per connection, mostly empty: the smallest array
    private final Consumer<Object> dispatcher;
    private ChannelHandlerContext ctx;
    private boolean busy;
    private boolean closed;
    private boolean paused;

    InboundGate(Consumer<Object> dispatcher) {
        this.dispatcher = dispatcher;
    }

    void bind(ChannelHandlerContext context) {
        this.ctx = context;
    }

    /** The connection's event loop (also the timer for auth calls). */
    ScheduledExecutorService executor() {
        return ctx.executor();
    }

    /** Dispatches now, or queues behind a pending answer. */
    void offer(Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
        } else if (busy || (paused && !passesPause(msg))) { // packets of a read that outran a pause wait too
            waiting.add(msg);
        } else {
            dispatcher.accept(msg);
        }
    }

    /** Pauses input until {@code stage} completes, then runs {@code then} on the event loop (skipped once closed). */
    <T> void await(CompletionStage<T> stage, Consumer<T> then) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        stage.whenComplete((value, error) -> ctx.executor().execute(() -> {
            busy = false;
            if (closed) {
                return;
            }
            then.accept(error == null ? value : null);
            resume();
        }));
    }

    private void resume() {
        while (!busy && !paused && !closed && !waiting.isEmpty()) {
            dispatcher.accept(waiting.poll());
        }
        if (!busy && !closed && !paused) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * Back-pressure: stops reading until {@link #resumeReading} (packets already read wait here,
     * in order). Returns false when reading was already paused this way. The caller bounds the pause.
     */
    boolean pauseReading() {
        if (paused || closed) {
            return false;
        }
        paused = true;
        pauses++;
        ctx.channel().config().setAutoRead(false);
        return true;
    }

    /** Counts pauses, so a check scheduled for one pause can tell it is still the current one. */
    private long pauses;

    /** The current pause's number, or -1 when reading is not paused this way. */
    long currentPause() {
        return paused && !closed ? pauses : -1;
    }

    /**
     * During a back-pressure pause: reads what the socket holds, once, so that the client's pings
     * and acknowledgements are answered (a client whose PINGREQ goes unanswered for its keep alive
     * closes the connection) and its silence is measured truly; PUBLISH packets read this way wait
     * here. Skipped once {@code maxWaiting} packets wait, which bounds the memory a pause can hold.
     */
    void peek(int maxWaiting) {
        if (paused && !busy && !closed && waiting.size() < maxWaiting) {
            ctx.read();
        }
    }

    /** Ends a back-pressure pause (on the event loop; a second call does nothing). */
    void resumeReading() {
        if (!paused) {
            return;
        }
        paused = false;
        if (!busy && !closed) {
            resume();
        }
    }

    /**
     * Acknowledgements and pings are not held by a back-pressure pause: a client that publishes to
     * its own subscription must still acknowledge what it receives, or its backlog would never drain.
     * None of them can refer to a PUBLISH still waiting (a PUBREL follows a processed PUBLISH).
     */
    private static boolean passesPause(Object msg) {
        return msg instanceof io.aviary.mqtt.codec.AckPacket || msg instanceof io.aviary.mqtt.codec.PingReqPacket;
    }

    /** Drops waiting packets (releasing them); later ones are released on arrival. */
    void close() {
        closed = true;
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
    }
}
