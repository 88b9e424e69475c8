/** Logging helpers for the platform's bundles and plugins: one line per event, never a flood. */
@Export
@Version("1.0.0")
package io.aviary.api.log;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
