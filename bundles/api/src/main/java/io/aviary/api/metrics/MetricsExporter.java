package io.aviary.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's metrics in a scrape format, provided by the metrics bundle and served by the
 * admin API (GET /api/v5/prometheus/stats), so the HTTP side needs no metrics library.
 */
@ProviderType
public interface MetricsExporter {

    /** The Content-Type of {@link #scrape()}, e.g. Prometheus text format 0.0.4. */
    String contentType();

    /** Every metric, now. */
    String scrape();
}
