/** Who a client is: the immutable client-info value that travels with a connection through every seam. */
@Export
@Version("1.0.0")
package io.aviary.api.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
