package io.aviary.bridge.mqtt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.Test;

/** PUBACKs leave in arrival order (MQTT 4.6) however the hand-overs complete; the inflight window passes slots on. */
public class OrderedAcksTest {

    @Test
    public void handOversCompletingOutOfOrderAreAcknowledgedInArrivalOrder() {
        List<Integer> acked = new ArrayList<>();
        OrderedAcks<Integer> acks = new OrderedAcks<>(acked::add);
        Runnable first = acks.arrived(1);
        Runnable second = acks.arrived(2);
        Runnable third = acks.arrived(3);
        third.run();
        second.run();
        assertEquals("nothing before the first is done", List.of(), acked);
        first.run();
        assertEquals(List.of(1, 2, 3), acked);
        assertEquals(0, acks.size());
    }

    @Test
    public void whatTheOldConnectionDidNotAcknowledgeIsForgottenOnReconnect() {
        List<Integer> acked = new ArrayList<>();
        OrderedAcks<Integer> acks = new OrderedAcks<>(acked::add);
        Runnable stale = acks.arrived(1);
        acks.clear();
        Runnable fresh = acks.arrived(7);
        stale.run();
        fresh.run();
        assertEquals("a stale id is never acknowledged on the new connection", List.of(7), acked);
    }

    @Test
    public void inflightGatePassesAFreedSlotToTheNextWaiter() {
        InflightGate gate = new InflightGate(1);
        assertTrue(gate.acquire().isDone());
        CompletableFuture<Void> waiting = gate.acquire();
        assertFalse("the window is full", waiting.isDone());
        gate.release();
        assertTrue(waiting.isDone());
        assertEquals(1, gate.inUse());
        gate.release();
        assertEquals(0, gate.inUse());
    }
}
