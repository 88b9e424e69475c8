package io.aviary.rules;

import java.util.Map;

/**
 * The columns one message or event offers a rule (EMQX's "columns": clientid, topic, payload,
 * ... see {@link RuleEvents} for each event's list). The broker fills one per message or event
 * and hands the same context to every rule it matches, so the JSON payload is decoded at most
 * once however many rules read it. Values follow the {@link Values value model}. A context is
 * used by one thread at a time.
 */
public interface RuleContext {

    /**
     * The column's value, or null (undefined) when the message or event has no such column. The
     * payload must be the same object on every call: that is how payload fields find the cached
     * decode.
     */
    Object get(String column);

    /** Every column, for {@code SELECT *} and FOREACH without DO (a fresh, mutable map). */
    Map<String, Object> columns();

    /**
     * The payload decoded as JSON, computed on first use and then cached for this message.
     *
     * @throws RuleEvalException when the payload is not JSON (the rule then counts as failed)
     */
    Object decodedPayload();
}
