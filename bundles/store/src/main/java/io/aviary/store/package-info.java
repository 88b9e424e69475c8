/**
 * The durable store as the broker sees it: an ordered key-value store with group-committed,
 * asynchronously acknowledged writes. It knows no MQTT; the broker owns the record layout.
 */
@Export
@Version("1.1.0")
package io.aviary.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
