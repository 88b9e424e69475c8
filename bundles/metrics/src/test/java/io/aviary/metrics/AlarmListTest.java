package io.aviary.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.api.alarm.Alarm;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

public class AlarmListTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final AlarmList alarms = new AlarmList(now::get);

    @Test
    public void raisingAnActiveAlarmAgainKeepsItsStartButUpdatesItsFigures() {
        assertTrue(alarms.raise("high_process_memory_usage", "heap 85%", Map.of("used", "85")));
        now.set(2_000);
        assertFalse(alarms.raise("high_process_memory_usage", "heap 90%", Map.of("used", "90")));
        Alarm a = alarms.list().get(0);
        assertEquals(1_000, a.activatedAt());
        assertEquals("heap 90%", a.message());
        assertEquals("90", a.details().get("used"));
        assertTrue(a.activated());
    }

    @Test
    public void aClearedAlarmStaysListedAsDeactivatedUntilDeleted() {
        alarms.raise("a", "m", Map.of());
        now.set(5_000);
        assertTrue(alarms.clear("a"));
        assertFalse("clearing twice is a no-op", alarms.clear("a"));
        alarms.raise("b", "m", Map.of());
        List<Alarm> list = alarms.list();
        assertEquals(2, list.size());
        assertEquals("active first", "b", list.get(0).name());
        assertEquals(5_000, list.get(1).deactivatedAt());
        assertEquals(1, alarms.deleteDeactivated());
        assertEquals(List.of("b"), alarms.list().stream().map(Alarm::name).toList());
    }

    @Test
    public void theHistoryOfAFlappingAlarmIsBounded() {
        for (int i = 0; i < AlarmList.MAX_HISTORY + 50; i++) {
            alarms.raise("flap", "m", Map.of());
            alarms.clear("flap");
        }
        assertEquals(AlarmList.MAX_HISTORY, alarms.list().size());
    }

    @Test
    public void watermarksReadAsPercentOrFraction() {
        assertEquals(0.8, HeapMonitor.percent("80%"), 1e-9);
        assertEquals(0.001, HeapMonitor.percent("0.1%"), 1e-9);
        assertEquals(0.5, HeapMonitor.percent("0.5"), 1e-9);
        assertEquals("nonsense falls back to the default", 0.8, HeapMonitor.percent("lots"), 1e-9);
        assertEquals(0.8, HeapMonitor.percent("150%"), 1e-9);
    }
}
