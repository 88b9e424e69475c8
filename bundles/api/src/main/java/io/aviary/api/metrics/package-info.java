/** Metrics exposition: the metrics bundle provides it (1.1: and reads contributed MetricsSource counters), the admin API serves it. */
@Export
@Version("1.1.0")
package io.aviary.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
