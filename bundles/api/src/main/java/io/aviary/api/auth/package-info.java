/** Authentication and authorization chain members, and the user store of the built-in database (1.1), the rule store of the built-in authorization database, the authorization settings and caches (1.3). */
@Export
@Version("1.3.0")
package io.aviary.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
