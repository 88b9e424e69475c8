package io.aviary.admin.rest;

import com.google.gson.JsonObject;
import io.aviary.admin.error.ApiException;
import io.aviary.admin.json.JsonValues;
import io.aviary.api.plugin.PluginDescriptor;
import io.aviary.api.plugin.PluginInstance;
import io.aviary.api.plugin.PluginManager;
import io.aviary.api.plugin.PluginStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A tenant's authenticator chain and authorization source chain as EMQX's API shows them, kept as
 * plugin instances: a plugin that declares an EMQX authenticator id ("password_based:built_in_database")
 * or authorization source type ("file") is created, configured, ordered and enabled through
 * /authentication and /authorization/sources. The chain order is the instances' ranking; a
 * member's id (or type) is the plugin's, so a tenant has at most one member per id.
 */
final class AuthChains {

    /** Which chain: the id of a member, and the fields EMQX's objects carry besides the plugin config. */
    enum Kind {
        AUTHN(PluginDescriptor::authenticator, "id", "authenticator"),
        AUTHZ(PluginDescriptor::authzSource, "type", "authorization source");

        final Function<PluginDescriptor, String> key;
        final String idField;
        final String noun;

        Kind(Function<PluginDescriptor, String> key, String idField, String noun) {
            this.key = key;
            this.idField = idField;
            this.noun = noun;
        }
    }

    /** One member: its EMQX id or type, and the instance behind it. */
    record Member(String id, PluginInstance instance) {
    }

    private final PluginManager plugins;
    private final Kind kind;

    AuthChains(PluginManager plugins, Kind kind) {
        this.plugins = plugins;
        this.kind = kind;
    }

    /** The tenant's members in chain order (asked first, first). */
    List<Member> members(String tenant) {
        Map<String, String> idOfPlugin = new LinkedHashMap<>();
        for (PluginStatus p : plugins.plugins()) {
            PluginDescriptor d = p.descriptor();
            if (d != null && kind.key.apply(d) != null) {
                idOfPlugin.put(d.id(), kind.key.apply(d));
            }
        }
        List<Member> out = new ArrayList<>();
        for (PluginInstance i : plugins.instances(tenant)) {
            String id = idOfPlugin.get(i.pluginId());
            if (id != null) {
                out.add(new Member(id, i));
            }
        }
        out.sort(Comparator.comparingInt((Member m) -> -m.instance().ranking()).thenComparing(m -> m.instance().id()));
        return out;
    }

    Optional<Member> member(String tenant, String id) {
        return members(tenant).stream().filter(m -> m.id().equals(id)).findFirst();
    }

    Member require(String tenant, String id) {
        return member(tenant, id).orElseThrow(() -> ApiException.notFound("NOT_FOUND", kind.noun + " '" + id + "' not found"));
    }

    /** The plugin implementing an EMQX id or type, or a 400 naming the field. */
    String pluginFor(String id, String field) {
        for (PluginStatus p : plugins.plugins()) {
            PluginDescriptor d = p.descriptor();
            if (d != null && id.equals(kind.key.apply(d))) {
                return d.id();
            }
        }
        throw ApiException.badRequest("field '" + field + "': no installed plugin provides the " + kind.noun + " '" + id + "'");
    }

    /** A member as EMQX shows it: its config, its id (or type) and enable. */
    JsonObject toJson(Member m) {
        JsonObject o = JsonValues.toJson(m.instance().config()).getAsJsonObject();
        if (kind == Kind.AUTHN) {
            int colon = m.id().indexOf(':');
            o.addProperty("mechanism", colon < 0 ? m.id() : m.id().substring(0, colon));
            if (colon >= 0) {
                o.addProperty("backend", m.id().substring(colon + 1));
            }
        }
        o.addProperty(kind.idField, m.id());
        o.addProperty("enable", m.instance().enabled());
        return o;
    }

    /**
     * Moves a member as EMQX's positions say: {@code front}, {@code rear}, {@code before:<id>} or
     * {@code after:<id>}.
     */
    void move(String tenant, String id, String position) {
        List<Member> order = new ArrayList<>(members(tenant));
        Member moving = order.stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("NOT_FOUND", kind.noun + " '" + id + "' not found"));
        order.remove(moving);
        int at;
        if (position.equals("front")) {
            at = 0;
        } else if (position.equals("rear")) {
            at = order.size();
        } else if (position.startsWith("before:") || position.startsWith("after:")) {
            String other = position.substring(position.indexOf(':') + 1);
            int k = indexOf(order, other);
            if (k < 0) {
                throw ApiException.notFound("NOT_FOUND", kind.noun + " '" + other + "' not found");
            }
            at = position.startsWith("before:") ? k : k + 1;
        } else {
            throw ApiException.badRequest("position must be front, rear, before:<id> or after:<id>, was '" + position + "'");
        }
        order.add(at, moving);
        plugins.reorder(tenant, order.stream().map(m -> m.instance().id()).toList());
    }

    private static int indexOf(List<Member> order, String id) {
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** The body without the fields EMQX adds around a member's config. */
    static Map<String, Object> config(JsonObject body, String... envelope) {
        JsonObject copy = body.deepCopy();
        for (String f : envelope) {
            copy.remove(f);
        }
        copy.remove("enable");
        return JsonValues.toMap(copy, "");
    }

    /**
     * Runs a plugin manager call; its IllegalArgumentException (naming "config.<field>") becomes a
     * 400 naming the body's field, as EMQX's bodies hold the config at the top level.
     */
    static <T> T call(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (java.util.NoSuchElementException e) {
            throw ApiException.notFound("NOT_FOUND", e.getMessage());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "invalid configuration" : e.getMessage();
            throw ApiException.badRequest(m.replace("'config.", "'").replace("field 'config'", "the body"));
        }
    }
}
