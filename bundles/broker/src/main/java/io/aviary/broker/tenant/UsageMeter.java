package io.aviary.broker.tenant;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.aviary.api.tenant.UsageHour;
import io.aviary.broker.session.SessionRegistry;
import io.aviary.broker.util.Counters;
import io.aviary.broker.util.TenantCounters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage metering per tenant per clock hour, ready for billing: session-minutes (each sample adds
 * sessions x minutes since the previous sample), and message bytes in and out (the deltas of
 * the tenant's byte counters). Sampled every minute and before every read, so a query is exact
 * up to now. Kept for 31 days; written to {@code <data dir>/usage.json} when an hour closes and at
 * shutdown (a crash loses at most the current hour's figures, which the counters do not keep).
 */
public final class UsageMeter {
    private static final Logger LOG = LoggerFactory.getLogger(UsageMeter.class);
    private static final Gson GSON = new Gson();
    private static final long HOUR = 3_600_000L;
    private static final int KEEP_HOURS = 31 * 24;

    /** Mutable figures of one hour. */
    private static final class Hour {
        double sessionMinutes;
        long bytesIn;
        long bytesOut;
        long ruleActions;
    }

    private final Supplier<List<String>> tenants;
    private final SessionRegistry sessions;
    private final Counters counters;
    private final LongSupplier clock;
    private final Path file;
    private final Map<String, NavigableMap<Long, Hour>> hours = new ConcurrentHashMap<>();
    private final Map<String, long[]> lastBytes = new ConcurrentHashMap<>();
    private long lastSample;

    public UsageMeter(Supplier<List<String>> tenants, SessionRegistry sessions, Counters counters, LongSupplier clock,
                      Path file) {
        this.tenants = tenants;
        this.sessions = sessions;
        this.counters = counters;
        this.clock = clock;
        this.file = file;
        this.lastSample = clock.getAsLong();
        if (file != null && Files.exists(file)) {
            load();
        }
    }

    /** Adds what happened since the previous sample to the current hour of every tenant. */
    public synchronized void sample() {
        long now = clock.getAsLong();
        long hour = now - Math.floorMod(now, HOUR);
        boolean hourClosed = lastSample < hour;
        double minutes = Math.max(0, now - lastSample) / 60_000.0;
        for (String tenant : tenants.get()) {
            Hour h = hours.computeIfAbsent(tenant, t -> new TreeMap<>()).computeIfAbsent(hour, x -> new Hour());
            h.sessionMinutes += sessions.size(tenant) * minutes;
            TenantCounters c = counters.tenant(tenant);
            long[] last = lastBytes.computeIfAbsent(tenant, t -> new long[3]); // counters start at 0 with the broker
            long in = c.bytesIn();
            long out = c.bytesOut();
            long actions = c.ruleActions.sum();
            h.bytesIn += in - last[0];
            h.bytesOut += out - last[1];
            h.ruleActions += actions - last[2];
            last[0] = in;
            last[1] = out;
            last[2] = actions;
        }
        lastSample = now;
        if (hourClosed) {
            trim(hour);
            save();
        }
    }

    public synchronized List<UsageHour> usage(String tenant, long from, long to) {
        sample();
        NavigableMap<Long, Hour> h = hours.get(tenant);
        List<UsageHour> out = new ArrayList<>();
        if (h == null) {
            return out;
        }
        long first = from - Math.floorMod(from, HOUR);
        for (Map.Entry<Long, Hour> e : h.subMap(first, true, to, true).entrySet()) {
            Hour x = e.getValue();
            if (x.sessionMinutes > 0 || x.bytesIn > 0 || x.bytesOut > 0 || x.ruleActions > 0) {
                out.add(new UsageHour(e.getKey(), x.sessionMinutes, x.bytesIn, x.bytesOut, x.ruleActions));
            }
        }
        return out;
    }

    /** A deleted tenant's usage goes with it. */
    public synchronized void forget(String tenant) {
        hours.remove(tenant);
        lastBytes.remove(tenant);
    }

    private void trim(long currentHour) {
        long oldest = currentHour - KEEP_HOURS * HOUR;
        hours.values().forEach(h -> h.headMap(oldest, false).clear());
    }

    /** Writes the kept hours (at an hour's end and at shutdown). */
    public synchronized void save() {
        if (file == null) {
            return;
        }
        JsonObject doc = new JsonObject();
        doc.addProperty("version", 1);
        JsonObject all = new JsonObject();
        hours.forEach((tenant, h) -> {
            JsonArray rows = new JsonArray();
            h.forEach((start, x) -> {
                JsonArray row = new JsonArray();
                row.add(start);
                row.add(x.sessionMinutes);
                row.add(x.bytesIn);
                row.add(x.bytesOut);
                row.add(x.ruleActions);
                rows.add(row);
            });
            all.add(tenant, rows);
        });
        doc.add("tenants", all);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, GSON.toJson(doc), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("usage metering: cannot write {}: {}", file, e.toString());
        }
    }

    private void load() {
        try {
            JsonObject doc = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), JsonObject.class);
            for (Map.Entry<String, com.google.gson.JsonElement> t : doc.getAsJsonObject("tenants").entrySet()) {
                NavigableMap<Long, Hour> h = new TreeMap<>();
                for (var r : t.getValue().getAsJsonArray()) {
                    JsonArray row = r.getAsJsonArray();
                    Hour x = new Hour();
                    x.sessionMinutes = row.get(1).getAsDouble();
                    x.bytesIn = row.get(2).getAsLong();
                    x.bytesOut = row.get(3).getAsLong();
                    x.ruleActions = row.size() > 4 ? row.get(4).getAsLong() : 0; // files written before rule actions were metered
                    h.put(row.get(0).getAsLong(), x);
                }
                hours.put(t.getKey(), h);
            }
        } catch (IOException | RuntimeException e) {
            // metering history is not worth refusing to start for; say so loudly and start afresh
            LOG.error("usage metering: cannot read {} ({}); earlier usage is not restored", file, e.toString());
        }
    }
}
