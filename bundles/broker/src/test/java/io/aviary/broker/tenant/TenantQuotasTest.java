package io.aviary.broker.tenant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import io.aviary.api.tenant.Tenant;
import io.aviary.api.tenant.TenantState;
import io.aviary.broker.session.LocalSessionRegistry;
import io.aviary.broker.util.Counters;
import io.aviary.mqtt.codec.ReasonCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/** The quota arithmetic with a hand-driven clock: connection slots, rate buckets, and where the limit comes from. */
public class TenantQuotasTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final TenantRegistry tenants = new TenantRegistry(null, System::currentTimeMillis);
    private final Counters counters = new Counters();
    private final TenantQuotas quotas = new TenantQuotas(tenants, new LocalSessionRegistry(), counters, nanos::get);

    private void tenant(Map<String, Long> q) {
        tenants.create(new Tenant("t", "t", TenantState.ACTIVE, List.of(), q, 0, 0));
    }

    @Test
    public void connectionSlotsAreTakenAndGivenBack() {
        tenant(Map.of("max_connections", 1L));
        Runnable[] first = new Runnable[1];
        assertNull(quotas.admitConnection("t", "a", first));
        TenantQuotas.Refusal r = quotas.admitConnection("t", "b", new Runnable[1]);
        assertEquals(ReasonCode.QUOTA_EXCEEDED, r.reasonCode());
        assertEquals("tenant quota max_connections exceeded (1 connections)", r.reason());
        first[0].run();
        assertNull(quotas.admitConnection("t", "b", new Runnable[1]));
        assertEquals(1L, (long) counters.tenant("t").snapshot().get("quota.exceeded.max_connections"));
    }

    @Test
    public void theMessageRateAllowsOneSecondOfBurstThenRefillsWithTime() {
        tenant(Map.of("max_messages_in_rate", 3L));
        for (int i = 0; i < 3; i++) {
            assertNull(quotas.checkPublish("t", 10, false, () -> 0));
        }
        TenantQuotas.Refusal r = quotas.checkPublish("t", 10, false, () -> 0);
        assertEquals("0x96 is for DISCONNECT only in MQTT 5", ReasonCode.QUOTA_EXCEEDED, r.reasonCode());
        assertEquals("max_messages_in_rate", r.quota());
        nanos.addAndGet(334_000_000L); // a third of a second: one token
        assertNull(quotas.checkPublish("t", 10, false, () -> 0));
        assertNotNull(quotas.checkPublish("t", 10, false, () -> 0));
    }

    @Test
    public void sizeRetainedAndBytesQuotasNameThemselves() {
        tenant(Map.of("max_message_size", 100L, "max_retained", 2L, "max_bytes_in_rate", 150L));
        assertEquals("max_message_size", quotas.checkPublish("t", 101, false, () -> 0).quota());
        assertEquals("max_retained", quotas.checkPublish("t", 10, true, () -> 2).quota());
        assertNull(quotas.checkPublish("t", 100, true, () -> 1));
        assertEquals("max_bytes_in_rate", quotas.checkPublish("t", 100, false, () -> 0).quota());
    }

    @Test
    public void outboundRatesCountEveryCopyOfAFanOutAndRefuseItWhole() {
        tenant(Map.of("max_messages_out_rate", 10L, "max_bytes_out_rate", 1_000L));
        assertNull(quotas.checkOutbound("t", "t/1", 10, (tenant, topic) -> 4));
        assertNull(quotas.checkOutbound("t", "t/1", 10, (tenant, topic) -> 4));
        TenantQuotas.Refusal r = quotas.checkOutbound("t", "t/1", 10, (tenant, topic) -> 4);
        assertEquals("8 of 10 copies used: 4 more do not fit", "max_messages_out_rate", r.quota());
        assertNull("no subscribers, nothing to send", quotas.checkOutbound("t", "t/1", 10, (tenant, topic) -> 0));
        nanos.addAndGet(1_000_000_000L);
        assertEquals("3 copies of 400 bytes", "max_bytes_out_rate", quotas.checkOutbound("t", "t/1", 400, (tenant, topic) -> 3).quota());
        assertEquals(1L, (long) counters.tenant("t").snapshot().get("quota.exceeded.max_messages_out_rate"));
        int[] asked = new int[1];
        assertNull(quotas.checkOutbound("default", "t/1", 10, (tenant, topic) -> ++asked[0]));
        assertEquals("a tenant without outbound quotas never counts its fan-out", 0, asked[0]);
    }

    @Test
    public void theTenantSubscriptionLimitNeverRaisesTheNodes() {
        tenant(Map.of("max_subscriptions_per_client", 5L));
        assertEquals(5, quotas.maxSubscriptions("t", 0));
        assertEquals(3, quotas.maxSubscriptions("t", 3));
        assertEquals(7, quotas.maxSubscriptions("default", 7));
        assertNull("no quotas, no cost", quotas.checkPublish("default", 1 << 20, true, () -> 1000));
    }

    @Test
    public void theSettingsServiceAnswersEffectiveValues() {
        tenant(Map.of("max_qos", 1L, "max_connections", 10L));
        assertEquals(1, tenants.effective("t", "max_qos"));
        assertEquals(10, tenants.effective("t", "max_connections"));
        assertEquals("the node's value for another tenant", 2, tenants.effective("default", "max_qos"));
        assertEquals(2, tenants.effective("nobody", "max_qos"));
        org.junit.Assert.assertThrows(IllegalArgumentException.class, () -> tenants.effective("t", "max_cats"));
    }
}
