/** Broker events (client, session, message) for rules, metrics and webhooks. */
@Export
@Version("1.3.0")
package io.aviary.api.events;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
