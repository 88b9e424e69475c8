/** The broker as a service: publish, subscribe on a client's behalf, kick, and queries; its listeners and ban list. */
@Export
@Version("1.4.0")
package io.aviary.api.broker;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
