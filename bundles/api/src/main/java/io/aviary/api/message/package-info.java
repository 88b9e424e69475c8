/** Messages as the platform sees them: immutable, tenant-scoped, with their MQTT 5 properties. */
@Export
@Version("1.0.0")
package io.aviary.api.message;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
