package io.aviary.api.rules;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The rule engine, a service of the rules bundle: each tenant's rules (EMQX 5 rule SQL plus
 * actions), their metrics, and testing. Every call names its tenant; a rule sees only its
 * tenant's messages and events. Rules survive a restart.
 *
 * <p>Bad input throws {@link IllegalArgumentException} whose message names the field
 * ("field 'actions[0].function' must be republish or console"); SQL that does not compile
 * throws its subclass {@link RuleSqlError} with the line and the column.
 */
@ProviderType
public interface Rules {

    /** The tenant's rules in creation order. */
    List<RuleDefinition> list(String tenant);

    Optional<RuleDefinition> get(String tenant, String id);

    /**
     * Compiles and stores a rule; it runs from now on if enabled.
     *
     * @return the rule as stored (id chosen when it had none, created_at set)
     * @throws IllegalStateException when the tenant has a rule of this id
     */
    RuleDefinition create(RuleDefinition rule);

    /**
     * Replaces a rule's sql, actions, enable and description (metrics are kept).
     *
     * @return the rule as stored, or empty when the tenant has no rule of this id
     */
    Optional<RuleDefinition> update(RuleDefinition rule);

    /** Removes a rule; false when there was none. */
    boolean delete(String tenant, String id);

    /** Removes every rule of a tenant (the tenant is being deleted); how many there were. */
    int deleteAll(String tenant);

    Optional<RuleMetrics> metrics(String tenant, String id);

    /** Zeroes a rule's counters; false when there is no such rule. */
    boolean resetMetrics(String tenant, String id);

    /**
     * Runs SQL on a test context (EMQX's rule_test): the context's {@code event_type} (default
     * message_publish) names the event, its example columns fill what the context leaves out.
     *
     * @param context plain JSON values
     * @throws IllegalArgumentException for an unknown event_type, or the rule failing on the context
     *     (the message is the reason)
     */
    RuleTestResult test(String sql, Map<String, Object> context);

    /**
     * Runs a stored rule on a test context as far as rendering its actions' templates; nothing
     * is published or logged, and the rule's metrics do not move.
     *
     * @return empty when the tenant has no rule of this id
     */
    Optional<RuleTestResult> test(String tenant, String id, Map<String, Object> context);

    /** The event catalogue: what a rule can select FROM, with example columns. */
    List<RuleEvent> events();

    /**
     * Runs the tenant's enabled rules that select FROM {@code "$bridges/" + sourceId} on one message
     * a data integration source brought in. Returns at once: the rules run on the engine's workers.
     *
     * @param columns the source's columns, plain JSON values
     * @return false when the engine refused the message (overloaded), true otherwise (also when no rule selects it)
     */
    boolean ingest(String tenant, String sourceId, Map<String, Object> columns);
}
