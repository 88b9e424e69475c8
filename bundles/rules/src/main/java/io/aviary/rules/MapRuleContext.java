package io.aviary.rules;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link RuleContext} over a map of columns, with the lazily decoded payload cached on first
 * use (a rule that never reads payload fields never parses it). The broker builds one per message
 * from its Message and ClientInfo; tests and rule_test build one from JSON.
 */
public final class MapRuleContext implements RuleContext {

    private final Map<String, Object> columns;
    private Object decoded;
    private RuleEvalException decodeFailure;
    private boolean decodedOnce;

    /** The map is used as is (not copied); the caller does not change it while rules run. */
    public MapRuleContext(Map<String, Object> columns) {
        this.columns = columns;
    }

    @Override
    public Object get(String column) {
        return columns.get(column);
    }

    @Override
    public Map<String, Object> columns() {
        return new LinkedHashMap<>(columns);
    }

    @Override
    public Object decodedPayload() {
        if (!decodedOnce) {
            decodedOnce = true;
            Object payload = columns.get("payload");
            if (payload == null || !Values.isString(payload)) {
                decoded = payload;
            } else {
                try {
                    decoded = Json.decode(payload);
                } catch (IOException | RuntimeException e) {
                    decodeFailure = new RuleEvalException("decode_json_failed: the payload is not JSON ("
                            + e.getMessage() + ")", e);
                }
            }
        }
        if (decodeFailure != null) {
            throw decodeFailure;
        }
        return decoded;
    }

    /** Whether the payload has been decoded (tests check that rules decode lazily). */
    public boolean payloadDecoded() {
        return decodedOnce;
    }
}
