/** Metrics exposition: the metrics bundle provides it, the admin API serves it. */
@Export
@Version("1.0.0")
package io.aviary.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
