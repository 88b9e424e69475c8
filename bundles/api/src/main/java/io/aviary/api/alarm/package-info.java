/** Alarms (EMQX's): conditions an operator should see, raised and cleared by any bundle, listed by the admin API. */
@Export
@Version("1.0.0")
package io.aviary.api.alarm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
