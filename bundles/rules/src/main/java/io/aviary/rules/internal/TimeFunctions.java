package io.aviary.rules.internal;

import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Time functions with EMQX's units ('second', 'millisecond', 'microsecond', 'nanosecond'),
 * offsets (seconds, 'Z', '+08:00', '+0800', 'local') and format_date's directives (%Y %m %d %H
 * %M %S %N %3N %6N %z %:z %::z). RFC 3339 output uses the node's local offset, as EMQX does.
 */
final class TimeFunctions {

    private TimeFunctions() {}

    static void register() {
        Functions.register("now_timestamp", 0, (a, env) -> System.currentTimeMillis() / 1000);
        Functions.register("now_timestamp", 1, (a, env) -> now(unit(a, 0, "now_timestamp")));
        Functions.register("now_rfc3339", 0, (a, env) -> rfc3339(now(1), 1));
        Functions.register("now_rfc3339", 1, (a, env) -> {
            long u = unit(a, 0, "now_rfc3339");
            return rfc3339(now(u), u);
        });
        Functions.register("unix_ts_to_rfc3339", 1, (a, env) -> rfc3339(Args.integer("unix_ts_to_rfc3339", a, 0), 1));
        Functions.register("unix_ts_to_rfc3339", 2, (a, env) -> rfc3339(Args.integer("unix_ts_to_rfc3339", a, 0),
                unit(a, 1, "unix_ts_to_rfc3339")));
        Functions.register("rfc3339_to_unix_ts", 1, (a, env) -> fromRfc3339(a, 1));
        Functions.register("rfc3339_to_unix_ts", 2, (a, env) -> fromRfc3339(a, unit(a, 1, "rfc3339_to_unix_ts")));
        Functions.register("format_date", 3, (a, env) -> {
            long u = unit(a, 0, "format_date");
            return formatDate(now(u), u, offsetSeconds(a[1]), Args.str("format_date", a, 2));
        });
        Functions.register("format_date", 4, (a, env) -> formatDate(Args.integer("format_date", a, 3),
                unit(a, 0, "format_date"), offsetSeconds(a[1]), Args.str("format_date", a, 2)));
        Functions.register("date_to_unix_ts", 3, (a, env) -> parseDate(unit(a, 0, "date_to_unix_ts"),
                Args.str("date_to_unix_ts", a, 1), Args.str("date_to_unix_ts", a, 2)));
        Functions.register("date_to_unix_ts", 4, (a, env) -> {
            long u = unit(a, 0, "date_to_unix_ts");
            long offset = offsetSeconds(a[1]);
            return parseDate(u, Args.str("date_to_unix_ts", a, 2), Args.str("date_to_unix_ts", a, 3)) - offset * u;
        });
        Functions.register("timezone_to_second", 1, (a, env) -> offsetSeconds(a[0]));
        Functions.register("timezone_to_offset_seconds", 1, (a, env) -> offsetSeconds(a[0]));
    }

    /** Units per second of 'second', 'millisecond', 'microsecond', 'nanosecond'. */
    static long unit(Object[] a, int i, String fn) {
        String s = Values.isString(a[i]) ? Values.text(a[i]) : String.valueOf(a[i]);
        switch (s) {
            case "second": return 1;
            case "millisecond": return 1_000;
            case "microsecond": return 1_000_000;
            case "nanosecond": return 1_000_000_000;
            default:
                throw new RuleEvalException("invalid_time_unit: " + Values.describe(a[i])
                        + " (use 'second', 'millisecond', 'microsecond' or 'nanosecond')");
        }
    }

    static long now(long perSecond) {
        Instant now = Instant.now();
        return now.getEpochSecond() * perSecond + now.getNano() / (1_000_000_000L / perSecond);
    }

    private static int digits(long perSecond) {
        return perSecond == 1 ? 0 : perSecond == 1_000 ? 3 : perSecond == 1_000_000 ? 6 : 9;
    }

    /** calendar:system_time_to_rfc3339 with the local offset: 2024-01-01T08:00:00.123+08:00. */
    static String rfc3339(long time, long perSecond) {
        long secs = Math.floorDiv(time, perSecond);
        long frac = Math.floorMod(time, perSecond);
        Instant at = Instant.ofEpochSecond(secs);
        ZoneOffset offset = ZoneId.systemDefault().getRules().getOffset(at);
        LocalDateTime t = LocalDateTime.ofEpochSecond(secs, 0, offset);
        StringBuilder sb = new StringBuilder(32);
        sb.append(pad(t.getYear(), 4)).append('-').append(pad(t.getMonthValue(), 2)).append('-')
                .append(pad(t.getDayOfMonth(), 2)).append('T').append(pad(t.getHour(), 2)).append(':')
                .append(pad(t.getMinute(), 2)).append(':').append(pad(t.getSecond(), 2));
        if (perSecond > 1) {
            sb.append('.').append(pad(frac, digits(perSecond)));
        }
        return sb.append(offsetText(offset.getTotalSeconds(), ":", false)).toString();
    }

    private static Object fromRfc3339(Object[] a, long perSecond) {
        String s = Args.str("rfc3339_to_unix_ts", a, 0);
        try {
            String norm = s.replace(' ', 'T').replace('t', 'T').replace('z', 'Z');
            OffsetDateTime t = OffsetDateTime.parse(norm);
            long secs = t.toEpochSecond();
            return secs * perSecond + t.getNano() / (1_000_000_000L / perSecond);
        } catch (DateTimeParseException e) {
            throw Args.bad("rfc3339_to_unix_ts", a, "not an RFC 3339 date-time");
        }
    }

    /** emqx_utils_calendar:offset_second. */
    static long offsetSeconds(Object o) {
        if (o == null) {
            return 0;
        }
        if (Values.isInt(o)) {
            return ((Number) o).longValue();
        }
        if (!Values.isString(o)) {
            throw new RuleEvalException("bad_time_offset: " + Values.describe(o));
        }
        String s = Values.text(o);
        if (s.equals("local")) {
            return ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds();
        }
        if (s.equals("Z") || s.equals("z")) {
            return 0;
        }
        if (s.isEmpty() || (s.charAt(0) != '+' && s.charAt(0) != '-')) {
            throw new RuleEvalException("bad_time_offset: " + Values.describe(o));
        }
        int sign = s.charAt(0) == '+' ? 1 : -1;
        String hm = s.substring(1);
        String[] parts = hm.split(":", -1);
        String h;
        String m;
        String sec = "0";
        if (parts.length == 2 || parts.length == 3) {
            h = parts[0];
            m = parts[1];
            if (parts.length == 3) {
                sec = parts[2];
            }
        } else if (parts.length == 1 && hm.length() == 4) {
            h = hm.substring(0, 2);
            m = hm.substring(2);
        } else {
            throw new RuleEvalException("bad_time_offset: " + Values.describe(o));
        }
        try {
            int hh = Integer.parseInt(h);
            int mm = Integer.parseInt(m);
            int ss = Integer.parseInt(sec);
            if (hh > 23 || mm > 59 || ss > 59 || hh < 0 || mm < 0 || ss < 0) {
                throw new RuleEvalException("bad_time_offset: " + Values.describe(o));
            }
            return sign * (hh * 3600L + mm * 60L + ss);
        } catch (NumberFormatException e) {
            throw new RuleEvalException("bad_time_offset: " + Values.describe(o));
        }
    }

    private static String offsetText(long offset, String sep, boolean withSeconds) {
        char sign = offset >= 0 ? '+' : '-';
        long abs = Math.abs(offset);
        String s = sign + pad(abs / 3600, 2) + sep + pad(abs % 3600 / 60, 2);
        return withSeconds ? s + sep + pad(abs % 60, 2) : s;
    }

    static String pad(long v, int len) {
        String s = Long.toString(v);
        return s.length() >= len ? s : "0".repeat(len - s.length()) + s;
    }

    /** The format string split into directives ("%Y", "%3N", ...) and literal runs. */
    private static List<String> formatter(String fmt) {
        List<String> out = new ArrayList<>();
        String[] directives = {"%Y", "%m", "%d", "%H", "%M", "%S", "%N", "%3N", "%6N", "%z", "%:z", "%::z"};
        StringBuilder lit = new StringBuilder();
        int i = 0;
        outer:
        while (i < fmt.length()) {
            for (String d : directives) {
                if (fmt.startsWith(d, i)) {
                    if (lit.length() > 0) {
                        out.add(lit.toString());
                        lit.setLength(0);
                    }
                    out.add(d);
                    i += d.length();
                    continue outer;
                }
            }
            lit.append(fmt.charAt(i++));
        }
        if (lit.length() > 0) {
            out.add(lit.toString());
        }
        return out;
    }

    static String formatDate(long time, long perSecond, long offset, String fmt) {
        long adjusted = time + offset * perSecond;
        long secs = Math.floorDiv(adjusted, perSecond);
        LocalDateTime t = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder();
        for (String part : formatter(fmt)) {
            switch (part) {
                case "%Y": sb.append(pad(t.getYear(), 4)); break;
                case "%m": sb.append(pad(t.getMonthValue(), 2)); break;
                case "%d": sb.append(pad(t.getDayOfMonth(), 2)); break;
                case "%H": sb.append(pad(t.getHour(), 2)); break;
                case "%M": sb.append(pad(t.getMinute(), 2)); break;
                case "%S": sb.append(pad(t.getSecond(), 2)); break;
                case "%3N": sb.append(pad(fraction(time, perSecond, 1_000), 3)); break;
                case "%6N": sb.append(pad(fraction(time, perSecond, 1_000_000), 6)); break;
                case "%N": sb.append(pad(fraction(time, perSecond, 1_000_000_000), 9)); break;
                case "%z": sb.append(offsetText(offset, "", false)); break;
                case "%:z": sb.append(offsetText(offset, ":", false)); break;
                case "%::z": sb.append(offsetText(offset, ":", true)); break;
                default: sb.append(part);
            }
        }
        return sb.toString();
    }

    // the sub-second part of time, expressed in the target unit (0 when time is in seconds)
    private static long fraction(long time, long perSecond, long target) {
        if (perSecond == 1) {
            return 0;
        }
        long frac = time % perSecond;
        return target >= perSecond ? frac * (target / perSecond) : frac / (perSecond / target);
    }

    /** date_to_unix_ts: reads fixed-width fields in the format's order, as EMQX does. */
    static long parseDate(long perSecond, String fmt, String input) {
        long year = -1, month = -1, day = -1, hour = -1, minute = -1, second = -1;
        long ms = 0, us = 0, ns = 0, parsedOffset = 0;
        int precision = 1;
        int pos = 0;
        for (String part : formatter(fmt)) {
            if (pos >= input.length()) {
                break;
            }
            int size;
            switch (part) {
                case "%Y": size = 4; break;
                case "%3N": size = 3; break;
                case "%6N": size = 6; break;
                case "%N": size = 9; break;
                case "%z": size = 5; break;
                case "%:z": size = 6; break;
                case "%::z": size = 9; break;
                case "%m": case "%d": case "%H": case "%M": case "%S": size = 2; break;
                default: size = part.length();
            }
            if (pos + size > input.length()) {
                throw new RuleEvalException("bad_formatter_or_date: " + Values.describe(input) + " does not match "
                        + Values.describe(fmt));
            }
            String field = input.substring(pos, pos + size);
            pos += size;
            if (part.startsWith("%") && part.endsWith("z")) {
                parsedOffset = offsetSeconds(field);
                continue;
            }
            if (!part.startsWith("%") || part.length() < 2) {
                continue;
            }
            long v;
            try {
                v = Long.parseLong(field);
            } catch (NumberFormatException e) {
                throw new RuleEvalException("bad_formatter_or_date: " + Values.describe(field) + " is not a number");
            }
            switch (part) {
                case "%Y": year = v; break;
                case "%m": month = v; break;
                case "%d": day = v; break;
                case "%H": hour = v; break;
                case "%M": minute = v; break;
                case "%S": second = v; break;
                case "%3N": ms = v; precision = Math.max(precision, 1_000); break;
                case "%6N": us = v; precision = Math.max(precision, 1_000_000); break;
                default: ns = v; precision = 1_000_000_000; break;
            }
        }
        String[] names = {"year", "month", "day", "hour", "minute", "second"};
        long[] parts = {year, month, day, hour, minute, second};
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] < 0) {
                throw new RuleEvalException("missing_date_part: " + names[i]);
            }
        }
        long secs;
        try {
            secs = LocalDate.of((int) year, (int) month, (int) day).toEpochDay() * 86400 + hour * 3600 + minute * 60 + second
                    - parsedOffset;
        } catch (java.time.DateTimeException e) {
            throw new RuleEvalException("bad_formatter_or_date: " + e.getMessage());
        }
        long total = secs * precision + ms * (precision / 1_000 == 0 ? 0 : precision / 1_000)
                + us * (precision / 1_000_000 == 0 ? 0 : precision / 1_000_000) + (precision == 1_000_000_000 ? ns : 0);
        // convert_time_unit floors
        return perSecond >= precision ? total * (perSecond / precision) : Math.floorDiv(total, precision / perSecond);
    }
}
