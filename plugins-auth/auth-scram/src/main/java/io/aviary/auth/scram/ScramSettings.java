package io.aviary.auth.scram;

import com.ongres.scram.common.ScramMechanism;
import java.util.Map;

/**
 * One tenant's auth-scram configuration: the mechanism new users' keys are made for (EMQX's
 * {@code algorithm}: sha256 or sha512) and their PBKDF2 iteration count.
 */
record ScramSettings(ScramMechanism mechanism, int iterations) {

    static final int DEFAULT_ITERATIONS = 4096;

    static ScramSettings from(Map<String, Object> props) {
        Object algorithm = props.getOrDefault("algorithm", "sha256");
        ScramMechanism mechanism = switch (String.valueOf(algorithm)) {
            case "sha256" -> ScramMechanism.SCRAM_SHA_256;
            case "sha512" -> ScramMechanism.SCRAM_SHA_512;
            default -> throw new IllegalArgumentException("algorithm must be sha256 or sha512, was " + algorithm);
        };
        Object n = props.getOrDefault("iteration_count", DEFAULT_ITERATIONS);
        int iterations = n instanceof Number num ? num.intValue() : Integer.parseInt(String.valueOf(n));
        return new ScramSettings(mechanism, iterations);
    }

    /** The mechanism of an MQTT Authentication Method ("SCRAM-SHA-256"), or null for another method. */
    static ScramMechanism mechanismOf(String authMethod) {
        if (authMethod == null) {
            return null;
        }
        for (ScramMechanism m : new ScramMechanism[] {ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512}) {
            if (m.getName().equals(authMethod)) {
                return m;
            }
        }
        return null;
    }
}
