package io.aviary.metrics;

import io.aviary.api.metrics.MetricsSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counters other bundles contribute through {@link MetricsSource} services (the rule engine's
 * per-rule metrics), turned into Micrometer function counters before each scrape: a counter seen
 * the first time is registered, one that is gone (a deleted rule, a stopped bundle) is removed,
 * and the rest read the value of this scrape.
 */
final class SourceMeters {

    private record Key(String name, Map<String, String> tags) {}

    /** What a registered counter reads. */
    private static final class Holder {
        volatile double value;
        FunctionCounter meter;
    }

    private final MeterRegistry registry;
    private final List<MetricsSource> sources = new CopyOnWriteArrayList<>();
    private final Map<Key, Holder> meters = new HashMap<>();

    SourceMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void add(MetricsSource source) {
        sources.add(source);
    }

    void remove(MetricsSource source) {
        sources.remove(source);
    }

    synchronized void refresh() {
        Set<Key> seen = new HashSet<>();
        for (MetricsSource source : sources) {
            List<MetricsSource.Counter> counters;
            try {
                counters = source.counters();
            } catch (RuntimeException e) {
                continue; // a failing source loses its counters for this scrape, never the scrape
            }
            for (MetricsSource.Counter c : counters) {
                Key key = new Key(c.name(), Map.copyOf(c.tags()));
                if (!seen.add(key)) {
                    continue;
                }
                Holder h = meters.computeIfAbsent(key, k -> register(k, c.help()));
                h.value = c.value();
            }
        }
        for (Iterator<Map.Entry<Key, Holder>> it = meters.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, Holder> e = it.next();
            if (!seen.contains(e.getKey())) {
                registry.remove(e.getValue().meter);
                it.remove();
            }
        }
    }

    private Holder register(Key key, String help) {
        Holder h = new Holder();
        List<Tag> tags = new ArrayList<>();
        key.tags().forEach((k, v) -> tags.add(Tag.of(k, v)));
        h.meter = FunctionCounter.builder(key.name(), h, x -> x.value).tags(tags).description(help).register(registry);
        return h;
    }
}
