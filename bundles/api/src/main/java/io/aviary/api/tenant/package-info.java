/** Tenants: the isolated namespaces that share one runtime, and their life cycle (active, suspended, deleted). */
@Export
@Version("1.1.0")
package io.aviary.api.tenant;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
