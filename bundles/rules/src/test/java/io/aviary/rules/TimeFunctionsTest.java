package io.aviary.rules;

import static io.aviary.rules.Rules.eval;
import static io.aviary.rules.Rules.failure;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.ZoneId;
import java.util.TimeZone;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Time functions against EMQX's documented examples. The examples were written on a +08:00
 * node, and RFC 3339 output uses the node's offset, so these tests run in Asia/Shanghai.
 */
public class TimeFunctionsTest {

    private static TimeZone saved;

    @BeforeClass
    public static void shanghai() {
        saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(ZoneId.of("Asia/Shanghai")));
    }

    @AfterClass
    public static void restore() {
        TimeZone.setDefault(saved);
    }

    @Test
    public void dateToUnixTs() {
        assertEquals(1708671600L, eval("date_to_unix_ts('second', '%Y-%m-%d %H:%M:%S%:z', '2024-02-23 15:00:00+08:00')"));
        assertEquals(1708671600L, eval("date_to_unix_ts('second', '+08:00', '%Y-%m-%d %H:%M:%S%:z', '2024-02-23 15:00:00')"));
        assertEquals(1708671600L, eval("date_to_unix_ts('second', 'Z', '%Y-%m-%d %H:%M:%S%:z', '2024-02-23 07:00:00')"));
        assertEquals(1708686000L, eval("date_to_unix_ts('second', 14400, '%Y-%m-%d %H:%M:%S%:z', '2024-02-23 15:00:00')"));
        assertEquals(1708671600123L, eval("date_to_unix_ts('millisecond', '%Y-%m-%d %H:%M:%S.%3N%:z', '2024-02-23 15:00:00.123+08:00')"));
        assertTrue(failure("date_to_unix_ts('second', '%Y-%m-%d', '2024-02-23')").startsWith("missing_date_part: hour"));
    }

    @Test
    public void formatDate() {
        assertEquals("2024-02-26 15:42:33.472000+0800",
                eval("format_date('millisecond', '+08:00', '%Y-%m-%d %H:%M:%S.%6N%z', 1708933353472)"));
        assertEquals("2024-02-26 15:42:33.472000+08:00",
                eval("format_date('millisecond', '+08:00', '%Y-%m-%d %H:%M:%S.%6N%:z', 1708933353472)"));
        assertEquals("2024-02-26 16:03:03.472+08:20:30",
                eval("format_date('millisecond', '+08:20:30', '%Y-%m-%d %H:%M:%S.%3N%::z', 1708933353472)"));
        assertEquals("2024-02-26 07:42:33.472+00:00",
                eval("format_date('millisecond', 'Z', '%Y-%m-%d %H:%M:%S.%3N%:z', 1708933353472)"));
        assertEquals("2024-02-26 15:42:33.472+08:00",
                eval("format_date('millisecond', 28800, '%Y-%m-%d %H:%M:%S.%3N%:z', 1708933353472)"));
        assertTrue(((String) eval("format_date('second', 0, '%Y')")).matches("20[0-9]{2}"));
        assertTrue(failure("format_date('hour', 0, '%Y', 1)").startsWith("invalid_time_unit"));
        assertTrue(failure("format_date('second', '+25:00', '%Y', 1)").startsWith("bad_time_offset"));
    }

    @Test
    public void nowFunctions() {
        long before = System.currentTimeMillis() / 1000;
        long now = (Long) eval("now_timestamp()");
        assertTrue(now >= before && now <= before + 2);
        long micros = (Long) eval("now_timestamp('microsecond')");
        assertTrue(micros / 1_000_000 >= before);
        assertTrue(((String) eval("now_rfc3339()")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+08:00"));
        assertTrue(((String) eval("now_rfc3339('microsecond')")).matches(".*T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+08:00"));
    }

    @Test
    public void rfc3339ToUnixTs() {
        assertEquals(1708703790L, eval("rfc3339_to_unix_ts('2024-02-23T15:56:30Z')"));
        assertEquals(1708674990L, eval("rfc3339_to_unix_ts('2024-02-23T15:56:30+08:00')"));
        assertEquals(1708703790L, eval("rfc3339_to_unix_ts('2024-02-23T15:56:30.87Z', 'second')"));
        assertEquals(1708703790870L, eval("rfc3339_to_unix_ts('2024-02-23T15:56:30.87Z', 'millisecond')"));
        assertEquals(1708703790870000L, eval("rfc3339_to_unix_ts('2024-02-23T15:56:30.87Z', 'microsecond')"));
        assertEquals(1708703790535904509L, eval("rfc3339_to_unix_ts('2024-02-23T15:56:30.535904509Z', 'nanosecond')"));
        assertTrue(failure("rfc3339_to_unix_ts('yesterday')").contains("not an RFC 3339"));
    }

    @Test
    public void timezoneToOffsetSeconds() {
        assertEquals(0L, eval("timezone_to_offset_seconds('Z')"));
        assertEquals(28800L, eval("timezone_to_offset_seconds('+08:00')"));
        assertEquals(28800L, eval("timezone_to_offset_seconds('local')"));
        assertEquals(-19800L, eval("timezone_to_second('-0530')"));
    }

    @Test
    public void unixTsToRfc3339() {
        assertEquals("2024-02-23T15:00:00+08:00", eval("unix_ts_to_rfc3339(1708671600)"));
        assertEquals("2024-02-23T15:00:00.766+08:00", eval("unix_ts_to_rfc3339(1708671600766, 'millisecond')"));
    }
}
