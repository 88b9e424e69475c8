/**
 * The MQTT 3.1 / 3.1.1 / 5.0 packet model and the strict Netty decoder and encoder.
 * Knows packets only: no sessions, no tenants.
 */
@Export
@Version("1.0.0")
package io.aviary.mqtt.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
