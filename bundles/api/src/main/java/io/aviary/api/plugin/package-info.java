/** Plugin catalogue, plugin instances and their states. */
@Export
@Version("1.3.0")
package io.aviary.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
