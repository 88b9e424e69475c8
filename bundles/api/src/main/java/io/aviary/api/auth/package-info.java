/** Authentication and authorization chain members. */
@Export
@Version("1.0.0")
package io.aviary.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
