package io.aviary.api.auth;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Authorization rules kept inside Aviary (EMQX's {@code built_in_database} authorization source),
 * one set per tenant: rules per user name, rules per client id, and rules for all clients. An
 * authorization plugin registers it so the admin API can offer EMQX's
 * {@code /authorization/sources/built_in_database/rules/...} endpoints without reaching into the
 * plugin (as {@link UserStore} does for users). Every method takes the tenant; a tenant that has
 * not enabled the plugin gets {@link IllegalStateException}. A list longer than the tenant's
 * {@link #maxRules} is refused with {@link IllegalArgumentException} and nothing changes.
 *
 * @since 1.3
 */
@ConsumerType
public interface AclRuleStore {

    /** EMQX's authorization source type of this store, e.g. {@code built_in_database}. */
    String sourceType();

    /** Whether the tenant has enabled the store (has an instance of its plugin, enabled in the chain or not). */
    boolean enabled(String tenant);

    /** The most rules one user, one client, or the all-clients list may hold (EMQX's {@code max_rules}). */
    int maxRules(String tenant);

    /** The users (or clients) of the tenant that have rules, sorted by name. */
    List<Subject> list(String tenant, Who who);

    /** One user's (or client's) rules, or empty when it has none stored. */
    Optional<List<Rule>> get(String tenant, Who who, String name);

    /**
     * Adds users (or clients) with their rules, all or none: when any of them already has rules,
     * nothing is stored.
     *
     * @param subjects name to rules, in the caller's order
     * @return the names that already had rules (empty when everything was stored)
     */
    List<String> create(String tenant, Who who, Map<String, List<Rule>> subjects);

    /** Sets (adds or replaces) one user's (or client's) rules. */
    void put(String tenant, Who who, String name, List<Rule> rules);

    /** @return false when the user (or client) had no rules */
    boolean delete(String tenant, Who who, String name);

    /** The rules for all clients (checked after the user's and the client's own). */
    List<Rule> all(String tenant);

    /** Replaces the rules for all clients; an empty list removes them. */
    void putAll(String tenant, List<Rule> rules);

    /** Removes every rule of the tenant: users', clients' and all clients'. */
    void purge(String tenant);

    /** Whose rules: keyed by the MQTT user name or by the client id. */
    enum Who {
        USERNAME,
        CLIENTID
    }

    /** What a rule applies to: publish, subscribe or both (EMQX's {@code all}). */
    enum RuleAction {
        PUBLISH,
        SUBSCRIBE,
        ALL
    }

    /** A user (or client) and its rules, in the order they are checked. */
    record Subject(String name, List<Rule> rules) {
        public Subject {
            Objects.requireNonNull(name, "name");
            rules = List.copyOf(rules);
        }
    }

    /**
     * One rule as EMQX 5's API shapes it.
     *
     * @param topic      a topic filter, with {@code ${username}} / {@code ${clientid}} placeholders,
     *                   or {@code "eq t"}: exactly the topic {@code t} (wildcards as plain characters)
     * @param permission {@link Decision#ALLOW} or {@link Decision#DENY}
     * @param qos        the QoS levels the rule applies to (distinct, each 0..2, at least one)
     * @param retain     for publish: only retained ({@code true}) or only not retained ({@code false})
     *                   messages; null for both (EMQX's {@code "all"})
     */
    record Rule(String topic, Decision permission, RuleAction action, List<Integer> qos, Boolean retain) {
        public static final List<Integer> ALL_QOS = List.of(0, 1, 2);

        public Rule {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(action, "action");
            if (permission != Decision.ALLOW && permission != Decision.DENY) {
                throw new IllegalArgumentException("permission must be allow or deny");
            }
            qos = qos == null ? ALL_QOS : List.copyOf(qos);
            if (qos.isEmpty() || qos.stream().anyMatch(q -> q < 0 || q > 2) || qos.stream().distinct().count() != qos.size()) {
                throw new IllegalArgumentException("qos must be distinct levels 0, 1 or 2, at least one");
            }
        }
    }
}
