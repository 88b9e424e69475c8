package io.aviary.auth.jwt;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance's configuration in EMQX's shape, read from its Config Admin properties (nested
 * objects arrive as JSON text; the plugin manager has checked schema.json already).
 */
record JwtSettings(String algorithm, String secret, boolean secretBase64, String publicKey, boolean useJwks,
                   String endpoint, long refreshSeconds, boolean fromUsername, Map<String, String> verifyClaims,
                   String aclClaim, boolean disconnectAfterExpire) {

    static JwtSettings from(Map<String, Object> props) {
        Map<String, String> claims = new LinkedHashMap<>();
        Object vc = props.get("verify_claims");
        if (vc != null) {
            JsonObject o = JsonParser.parseString(vc.toString()).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                claims.put(e.getKey(), e.getValue().getAsString());
            }
        }
        return new JwtSettings(String.valueOf(props.getOrDefault("algorithm", "hmac-based")),
                (String) props.get("secret"), Boolean.TRUE.equals(props.get("secret_base64_encoded")),
                (String) props.get("public_key"), Boolean.TRUE.equals(props.get("use_jwks")),
                (String) props.get("endpoint"), ((Number) props.getOrDefault("refresh_interval", 300L)).longValue(),
                "username".equals(props.get("from")), Map.copyOf(claims),
                String.valueOf(props.getOrDefault("acl_claim_name", "acl")),
                !Boolean.FALSE.equals(props.get("disconnect_after_expire")));
    }
}
