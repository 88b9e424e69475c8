package io.aviary.rules;

/**
 * A rule failed on one message (EMQX's "failed.exception"): a function got a wrong type, the
 * payload is not JSON where the rule reads its fields, an integer was divided by zero, ... The
 * message is the reason the rule's metrics and trace show. "No result" (WHERE false, an empty
 * FOREACH) is not an exception: {@link CompiledRule#apply} then returns an empty list.
 */
public final class RuleEvalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RuleEvalException(String reason) {
        super(reason, null, false, false);
    }

    public RuleEvalException(String reason, Throwable cause) {
        super(reason, cause, false, false);
    }
}
