package io.aviary.api.rules;

import java.util.List;

/**
 * A rule's counters since it was created or last reset, with EMQX's names in the REST API:
 * matched (FROM took the message or event), passed (it gave output), failed = exception +
 * no_result (+ overloaded + loop, Aviary's), actions.total/success/failed, and each action's own.
 *
 * @param failedOverloaded the message was not run because the rule engine's queue was full
 * @param failedLoop       the message came from a chain of republishes deeper than the limit
 * @param lastError        the reason of the most recent failure (exception, overloaded, loop), or null
 * @param lastErrorAt      epoch milliseconds of {@code lastError}, 0 when none
 */
public record RuleMetrics(long matched, long passed, long failed, long failedException, long failedNoResult,
        long failedOverloaded, long failedLoop, long actionsTotal, long actionsSuccess, long actionsFailed,
        List<ActionMetrics> actions, String lastError, long lastErrorAt) {

    public RuleMetrics {
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /**
     * One action's counters.
     *
     * @param lastError the reason of the most recent failure, or null
     */
    public record ActionMetrics(String function, long success, long failed, String lastError) {}
}
