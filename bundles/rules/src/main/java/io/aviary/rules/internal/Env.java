package io.aviary.rules.internal;

import io.aviary.rules.Json;
import io.aviary.rules.RuleContext;
import io.aviary.rules.RuleEvalException;
import io.aviary.rules.Values;
import java.io.IOException;
import java.util.Map;

/**
 * Where an expression looks names up while one rule runs on one message: the scopes in order
 * (the output being built, so later fields and WHERE see earlier aliases; FOREACH's item and
 * collected aliases), then the message's columns. A name whose value is undefined in a scope
 * falls through to the next, as EMQX's eval over [Selected, Columns] does.
 */
public final class Env {

    private final RuleContext ctx;
    private final Map<String, Object>[] scopes;

    @SafeVarargs
    public Env(RuleContext ctx, Map<String, Object>... scopes) {
        this.ctx = ctx;
        this.scopes = scopes;
    }

    public RuleContext context() {
        return ctx;
    }

    public Object get(String name) {
        for (Map<String, Object> scope : scopes) {
            if (scope != null) {
                Object v = scope.get(name);
                if (v != null) {
                    return v;
                }
            }
        }
        return ctx.get(name);
    }

    /** payload.x reads the payload decoded as JSON: the context's cached copy when it is the message's. */
    Object decodePayload(Object payload) {
        if (payload == ctx.get("payload")) {
            return ctx.decodedPayload();
        }
        try {
            return Json.decode(payload);
        } catch (IOException | RuntimeException e) {
            throw new RuleEvalException("decode_json_failed: the payload is not JSON: " + Values.describe(payload), e);
        }
    }
}
