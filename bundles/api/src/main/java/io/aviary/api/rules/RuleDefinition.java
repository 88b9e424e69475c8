package io.aviary.api.rules;

import java.util.List;
import java.util.Objects;

/**
 * A rule as its owner wrote it: the SQL, the actions its outputs go to, and whether it runs.
 *
 * @param id          unique within the tenant; null on create lets the engine choose one
 * @param createdAt   epoch milliseconds, set by the engine on create (ignored in requests)
 * @param description free text, never null ("" when absent)
 * @param from        the FROM entries as the engine compiled them ("t/#", "$events/client_connected");
 *     set by the engine, ignored in requests
 */
public record RuleDefinition(String id, String tenant, String sql, List<RuleAction> actions, boolean enable,
        String description, long createdAt, List<String> from) {

    public RuleDefinition {
        Objects.requireNonNull(tenant, "tenant");
        actions = actions == null ? List.of() : List.copyOf(actions);
        description = description == null ? "" : description;
        from = from == null ? List.of() : List.copyOf(from);
    }

    /** A rule as a request gives it (FROM is the engine's to fill in). */
    public RuleDefinition(String id, String tenant, String sql, List<RuleAction> actions, boolean enable,
            String description, long createdAt) {
        this(id, tenant, sql, actions, enable, description, createdAt, List.of());
    }

    public RuleDefinition withEnable(boolean on) {
        return new RuleDefinition(id, tenant, sql, actions, on, description, createdAt, from);
    }
}
