package io.aviary.metrics;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.api.metrics.MetricsSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Contributed counters reach the scrape with their tags, follow their source, and vanish with it. */
public class SourceMetersTest {

    @Test
    public void contributedCountersAreScrapedWithTheirLabelsAndGoWhenTheirSourceDropsThem() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SourceMeters meters = new SourceMeters(registry);
        List<MetricsSource.Counter> now = new ArrayList<>();
        MetricsSource source = () -> List.copyOf(now);
        meters.add(source);
        now.add(new MetricsSource.Counter("aviary.rule.matched", "matched", Map.of("tenant", "acme", "rule", "r1"), 3));
        meters.refresh();
        assertTrue(registry.scrape(), registry.scrape().contains("aviary_rule_matched_total{rule=\"r1\",tenant=\"acme\"} 3.0"));
        now.set(0, new MetricsSource.Counter("aviary.rule.matched", "matched", Map.of("tenant", "acme", "rule", "r1"), 5));
        meters.refresh();
        assertTrue(registry.scrape().contains("aviary_rule_matched_total{rule=\"r1\",tenant=\"acme\"} 5.0"));
        now.clear();
        meters.refresh();
        assertFalse(registry.scrape().contains("rule=\"r1\""));
        now.add(new MetricsSource.Counter("aviary.rule.matched", "matched", Map.of("tenant", "acme", "rule", "r2"), 1));
        meters.remove(source);
        meters.refresh();
        assertFalse("a source that is gone contributes nothing", registry.scrape().contains("rule=\"r2\""));
    }
}
