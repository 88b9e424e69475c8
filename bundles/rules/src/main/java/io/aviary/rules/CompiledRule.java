package io.aviary.rules;

import io.aviary.rules.internal.Compiler;
import io.aviary.rules.internal.Program;
import java.util.List;
import java.util.Map;

/**
 * A rule's SQL compiled into an expression tree: immutable and thread-safe, so one instance
 * runs on every message on every thread. {@link #apply} gives the rule's outputs for one message
 * or event; the FROM list says which messages and events the rule wants (the broker indexes
 * rules by it, see {@link RuleIndex}).
 */
public final class CompiledRule {

    private final String sql;
    private final Compiler.Result compiled;

    CompiledRule(String sql, Compiler.Result compiled) {
        this.sql = sql;
        this.compiled = compiled;
    }

    public String sql() {
        return sql;
    }

    /** Every FROM entry as written, unquoted ("t/#", "$events/client_connected", "$bridges/mqtt:in"). */
    public List<String> from() {
        return compiled.from();
    }

    /** The MQTT topic filters of FROM (messages published on a matching topic trigger the rule). */
    public List<String> topicFilters() {
        return compiled.topicFilters();
    }

    /** The events of FROM, by EMQX's event name ("client.connected", "message.delivered", ...). */
    public List<String> events() {
        return compiled.events();
    }

    /** The ingress source (bridge) ids of FROM ("$bridges/mqtt:in" gives "mqtt:in"). */
    public List<String> bridges() {
        return compiled.bridges();
    }

    public boolean isForeach() {
        return compiled.program().foreach();
    }

    /**
     * Runs the rule on one message or event.
     *
     * @return the outputs the actions receive: one for a SELECT that passes WHERE, 0..N for a
     *     FOREACH; an empty list means "no result" (WHERE false, nothing passed INCASE)
     * @throws RuleEvalException when the rule fails on this message (a function got a wrong
     *     type, the payload is not JSON where a payload field is read, ...); the reason is the
     *     exception's message
     */
    public List<Map<String, Object>> apply(RuleContext ctx) {
        return compiled.program().apply(ctx);
    }

    @Override
    public String toString() {
        return sql;
    }
}
