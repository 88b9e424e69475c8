package io.aviary.api.metrics;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard for counters a bundle keeps itself (the rule engine's per-rule metrics): register
 * one as an OSGi service and the metrics bundle reads it at each scrape, so the contributor needs
 * no metrics library and nothing runs per message. A counter that disappears from the list (a
 * deleted rule) disappears from the scrape.
 */
@ConsumerType
public interface MetricsSource {

    /** Every counter now. Called on the scrape thread; return quickly. */
    List<Counter> counters();

    /**
     * One monotonic counter.
     *
     * @param name dotted Micrometer-style name ("aviary.rule.matched"); Prometheus shows
     *     "aviary_rule_matched_total"
     * @param tags label names to values (the same names for every counter of one name)
     */
    record Counter(String name, String help, Map<String, String> tags, double value) {}
}
