/**
 * Data integration, as EMQX 5 models it: a plugin contributes {@link io.aviary.api.integration.ConnectorType}s;
 * a connector holds the (shared) connection to an external system; an action is a {@link io.aviary.api.integration.Sink}
 * that writes batches of rule outputs; a {@link io.aviary.api.integration.Source} brings messages in.
 * The integration runtime gives every sink batching, a disk buffer, an inflight window, retries,
 * health checks and metrics, so a sink only knows how to write one batch.
 */
@Export
@Version("1.1.0")
package io.aviary.api.integration;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
