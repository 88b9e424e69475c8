package io.aviary.api.integration;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The data integration runtime as the admin API and the rule engine see it (a service of the
 * integration bundle): each tenant's connectors, actions and sources, with EMQX 5's shapes as
 * plain JSON values ({@code {"type", "name", ...fields..., "resource_opts", "status",
 * "status_reason", "enable"}}), their operations and metrics, and the rule engine's hand-over.
 * Ids are {@code type:name}. Everything survives a restart.
 *
 * <p>Bad input throws {@link IllegalArgumentException} whose message names the field
 * ("field 'type': no plugin provides connector type 'x'"); a name taken throws
 * {@link IllegalStateException}; a connector still used by actions or sources, on delete, throws
 * {@link InUseException}.
 */
@ProviderType
public interface Integrations {

    /** What a call is about; the path segment of the REST API. */
    enum Kind {
        CONNECTOR("connectors"),
        ACTION("actions"),
        SOURCE("sources");

        private final String plural;

        Kind(String plural) {
            this.plural = plural;
        }

        public String plural() {
            return plural;
        }
    }

    /** Thrown by {@link #delete} when other resources still use the one being deleted. */
    class InUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final List<String> users;

        public InUseException(String message, List<String> users) {
            super(message);
            this.users = List.copyOf(users);
        }

        /** Ids of the actions and sources (or rules) that use it. */
        public List<String> users() {
            return users;
        }
    }

    /** The tenant's resources of a kind, in creation order, each as the API shows it. */
    List<Map<String, Object>> list(String tenant, Kind kind);

    Optional<Map<String, Object>> get(String tenant, Kind kind, String id);

    /**
     * Validates (the type's JSON Schema, resource_opts), stores and starts a resource. For a type
     * no plugin of the tenant serves yet, enables the plugin that provides it for the tenant first.
     *
     * @param config EMQX's request body: type, name, the type's fields, resource_opts (connector
     *     for actions and sources, parameters), enable
     * @return the resource as stored, with its status
     */
    Map<String, Object> create(String tenant, Kind kind, Map<String, Object> config);

    /** Replaces a resource's configuration (type and name from the id); empty when there is none. */
    Optional<Map<String, Object>> update(String tenant, Kind kind, String id, Map<String, Object> config);

    /** Removes a resource (its buffered records too); false when there was none. */
    boolean delete(String tenant, Kind kind, String id);

    /**
     * Runs an operation on a resource: start, stop or restart.
     *
     * @return false when there is no such resource
     * @throws IllegalArgumentException for another operation
     */
    boolean operate(String tenant, Kind kind, String id, String operation);

    /** Enables or disables a resource (a disabled action drops what rules give it); false when none. */
    boolean enable(String tenant, Kind kind, String id, boolean on);

    /**
     * Tests a configuration without storing it: opens a connector (for an action or a source,
     * the named connector's) and checks it once.
     *
     * @return the health; disconnected with the system's own error when it failed
     */
    Health probe(String tenant, Kind kind, Map<String, Object> config);

    /**
     * An action's or source's metrics as EMQX names them: matched, success, failed, dropped,
     * dropped.expired, dropped.queue_full, dropped.other, dropped.resource_stopped,
     * dropped.resource_not_found, retried, late_reply, queuing, queuing_bytes, inflight,
     * received, latency (average milliseconds per batch), latency_max, last_error (string or absent).
     */
    Optional<Map<String, Object>> metrics(String tenant, Kind kind, String id);

    boolean resetMetrics(String tenant, Kind kind, String id);

    /** Connector types some installed plugin provides (EMQX's type names), for a kind. */
    List<String> types(Kind kind);

    /** Removes every resource of a tenant (the tenant is being deleted); how many there were. */
    int deleteAll(String tenant);

    /**
     * Hands one rule output to an action; returns at once (the record is queued in the action's
     * buffer, batched and sent in the background). Counts the action's matched.
     *
     * @param output plain JSON values
     * @throws IllegalStateException with the reason when the action does not exist or is disabled
     *     (the rule counts its action failed)
     */
    void dispatch(String tenant, String actionId, String ruleId, Map<String, Object> output);
}
