/** The rule engine as a service: rules per tenant (create, change, enable, delete), their metrics, testing, the event catalogue. */
@Export
@Version("1.2.0")
package io.aviary.api.rules;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
